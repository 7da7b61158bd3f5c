const q = a < b && c > "d" | ;
