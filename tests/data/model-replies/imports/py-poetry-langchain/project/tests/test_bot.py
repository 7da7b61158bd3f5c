import pytest

import bot


@pytest.mark.parametrize("question", ["reset password"])
def test_answer(question):
    assert bot.answer
