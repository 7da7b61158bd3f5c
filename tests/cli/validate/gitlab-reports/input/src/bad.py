def f(x):
    if x
        return 1

print("a & b < c")
