import pickle
pickle.loads(b)
x = eval(t)
assert a
