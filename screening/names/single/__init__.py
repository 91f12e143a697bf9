"""One query at a time: the matcher's normal forms, candidates and scores computed in plain Python, equal to the batch path's."""
