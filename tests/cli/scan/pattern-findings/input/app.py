value = eval(text)
if __debug__:
    eval(probe)
