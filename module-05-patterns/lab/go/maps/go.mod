module maps

go 1.19
