"""One query at a time: the matcher's forms, candidates and scores in plain Python, equal to the batch path's."""
