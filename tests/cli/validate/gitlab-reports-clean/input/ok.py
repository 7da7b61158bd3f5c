def ok():
    return "fine"
