module example.com/confsvc

go 1.22
