module aggregation

go 1.19
