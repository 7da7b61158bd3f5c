def list_notes():
    return []
