"""Content notes (pass over a question, or leave such questions out), the glossary, settings."""

from __future__ import annotations

import json

from tests.helpers import drill, invoke, questions_shown, read_progress

GLOSSARY = """\
terms:
  - term: RLC
    name: Recovery Learning Community
    also: [RLCs]
    definition: A peer-run community where people in recovery meet and support each other.
    source: test-source
  - term: person-first language
    definition: Words that put the person before a diagnosis.
"""


def with_notes(mini):
    """The mini deck with a content note on conf-001 and a glossary that names 'RLC'."""
    path = mini / "scenarios.yaml"
    text = path.read_text()
    text = text.replace(
        "  - id: conf-001\n    principle: confidentiality\n",
        "  - id: conf-001\n    principle: confidentiality\n    content_note: self-harm\n",
    )
    text = text.replace("A person's mother phones", "At the RLC, a person's mother phones")
    path.write_text(text)
    (mini / "glossary.yaml").write_text(GLOSSARY)
    return mini


def test_a_question_with_a_content_note_says_so_first_and_can_be_passed_over(mini, home):
    deck = with_notes(mini)
    # "s" before every answer: it passes over the noted question, and elsewhere asks again
    result = drill(deck, "--count", "5", "--seed", "1", input="s\na\n" * 5)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    note = lines.index("Content note: this question mentions self harm.")
    assert "A person's mother" not in "\n".join(lines[:note])  # the note comes first
    assert "Type s to pass over it; that does not count as a miss." in result.stdout
    answers = read_progress(home)["answers"]
    assert "conf-001" not in [a["question"] for a in answers]  # not saved, not a miss
    assert len(answers) == 4
    assert "Passed over after a content note: 1 question." in result.stdout


def test_s_on_a_question_without_a_note_is_not_a_skip(mini, home):
    result = drill(mini, "--count", "1", "--seed", "1", input="s\na\n")
    assert "Please answer with a letter" in result.stdout
    assert len(read_progress(home)["answers"]) == 1


def test_the_setting_leaves_such_questions_out_of_drills(mini, home):
    deck = with_notes(mini)
    assert "content-notes: show" in invoke(["settings"]).stdout
    changed = invoke(["settings", "content-notes", "hide"])
    assert changed.exit_code == 0 and "Saved: content-notes hide." in changed.stdout
    result = drill(deck, "--count", "5", "--seed", "1", input="a\n" * 5)
    assert "Left out: 1 question with a content note (your setting;" in result.stdout
    assert "Content note" not in result.stdout.replace("with a content note", "")
    shown = questions_shown(result.stdout)
    assert len(shown) == 4
    assert "content-notes: hide" in invoke(["settings"]).stdout  # kept with the progress
    assert json.loads((home / "answers.jsonl").read_text().splitlines()[0])["kind"] == "settings"


def test_a_setting_must_be_one_of_its_choices(home):
    result = invoke(["settings", "content-notes", "maybe"])
    assert result.exit_code == 2
    assert "give 'content-notes' one of: show, hide" in result.stderr
    result = invoke(["settings", "colour", "red"])
    assert result.exit_code == 2 and "there is no setting 'colour'" in result.stderr


def test_the_glossary_lists_terms_and_finds_one_by_any_form(mini, home):
    deck = with_notes(mini)
    listed = invoke(["glossary", "--content", deck])
    assert listed.exit_code == 0
    assert "RLC (Recovery Learning Community)" in listed.stdout
    assert "2 terms." in listed.stdout
    for word in ("rlc", "RLCs", "recovery learning", "person-first"):
        found = invoke(["glossary", word, "--content", deck])
        assert found.exit_code == 0, word
        assert found.stdout.count("\n\n") <= 2
    missing = invoke(["glossary", "RCL", "--content", deck])
    assert missing.exit_code == 2
    assert "the glossary has no 'RCL'. Did you mean 'RLC'?" in missing.stderr


def test_feedback_lists_the_glossary_terms_a_question_uses(mini, home):
    deck = with_notes(mini)
    result = drill(deck, "--count", "5", "--seed", "1", input="a\n" * 5)
    assert "Terms RLC (see the glossary command)" in " ".join(result.stdout.split())


def test_a_deck_without_a_glossary_says_so(mini):
    result = invoke(["glossary", "--content", mini])
    assert result.exit_code == 2
    assert "this deck has no glossary" in result.stderr


def test_glossary_problems_have_file_and_line(mini):
    (mini / "glossary.yaml").write_text(GLOSSARY.replace("source: test-source", "source: nope"))
    result = invoke(["validate", mini])
    assert result.exit_code == 1
    assert f"{mini / 'glossary.yaml'}:6: unknown source 'nope'" in result.stdout


def test_validate_stats_measures_test_wise_shortcuts(mini):
    result = invoke(["validate", mini, "--stats"])
    assert "Test-wise shortcuts" in result.stdout
    for name in ("second-longest", "no absolute words", "two-part answer"):
        assert name in result.stdout


def test_the_bundled_bank_has_no_strong_shortcut():
    from cps_drill.deck.cues import measure
    from cps_drill.deck.load import bundled_folder, load_deck

    cues = measure(load_deck(bundled_folder()))
    assert len(cues) == 7
    assert [c.name for c in cues if c.too_strong] == []


def test_passing_over_says_so_and_the_prompt_names_the_key(mini, home):
    deck = with_notes(mini)
    result = drill(deck, "--count", "5", "--seed", "1", input="s\na\n" * 5)
    assert "Passed over; it does not count as missed." in result.stdout
    assert ", s to pass over, q to stop):" in result.stdout


def test_the_whole_glossary_is_in_alphabetical_order_and_typos_get_a_suggestion(mini):
    deck = with_notes(mini)
    listed = invoke(["glossary", "--content", deck]).stdout
    assert listed.index("person-first language") < listed.index("RLC")
    missing = invoke(["glossary", "rcl", "--content", deck])
    assert "Did you mean 'RLC'?" in missing.stderr


def test_a_term_followed_by_a_hyphen_is_found():
    from cps_drill.deck.model import _mentions

    assert _mentions("a DMH-funded team", "DMH")
    assert not _mentions("a DMHS team", "DMH")
    assert not _mentions("co-RLC", "RLC")


def test_a_hand_written_setting_reads_as_the_tool_applies_it(mini, home):
    from cps_drill.progress.store import Store as Progress

    deck = with_notes(mini)
    Progress(home).save_settings({"content-notes": "HIDE"}, session="hand")
    assert "content-notes: hide" in invoke(["settings"]).stdout
    assert "Left out: 1 question" in drill(deck, "--count", "1", input="a\n").stdout


def test_when_every_question_is_hidden_it_says_why(mini, home):
    deck = with_notes(mini)
    text = (deck / "scenarios.yaml").read_text()
    for qid in ("resp-001", "conf-002", "resp-002", "resp-003"):  # conf-001 has one already
        pid = "respect" if qid.startswith("resp") else "confidentiality"
        head = f"  - id: {qid}\n    principle: {pid}\n"
        text = text.replace(head, head + "    content_note: abuse\n")
    (deck / "scenarios.yaml").write_text(text)
    invoke(["settings", "content-notes", "hide"])
    result = drill(deck, "--count", "1", input="a\n")
    assert result.exit_code == 2, result.output
    assert "every question here carries a content note" in result.stderr
