def scale(size, factor):
    print(size, factor)
