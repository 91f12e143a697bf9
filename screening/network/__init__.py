"""Network exposure: ownership by listed parties (the 50 % rule) and payment chains."""
