module pool

go 1.19
