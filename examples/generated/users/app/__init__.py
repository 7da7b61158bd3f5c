# Sample: a reply written by hand for the aiops example, not by a model.
