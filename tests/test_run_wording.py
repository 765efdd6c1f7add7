"""Run messages kept in the database in a form every visitor's language can show."""

from mnist_core.i18n import Number, Percent, msg
from mnist_core.runs.wording import from_text, reason, to_text


def test_a_message_survives_the_database_and_plain_old_text_stays_as_it_is():
    said = msg(
        "The training process was killed (out of memory?); {kept}.",
        kept=msg("the weights after step {step} are kept", step=Number(1180)),
    )
    back = from_text(to_text(said))
    assert back == said
    assert str(back).endswith("(out of memory?); the weights after step 1,180 are kept.")
    shares = msg("{a} of {b}", a=Percent(0.5, 1), b=ValueError("x"))
    assert str(from_text(to_text(shares))) == "50.0% of x"
    assert from_text("Training finished.") == "Training finished."  # a row from before
    assert from_text('{"text": broken') == '{"text": broken'
    assert reason(ValueError(msg("give the model a name"))) == msg("give the model a name")
    assert reason(OSError("disk full")) == "disk full"
