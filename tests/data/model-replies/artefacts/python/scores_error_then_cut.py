def best_score(scores):
    if scores >
        return max(scores)
    return None


def ranked(scores):
    return [scores,
