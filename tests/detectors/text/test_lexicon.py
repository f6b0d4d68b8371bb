"""The scenario lexicon's matching: plain phrases and phrases with gaps."""

from fanzha.detectors.text import lexicon


def phrases(text: str) -> dict[str, lexicon.LexiconHit]:
    return {hit.phrase: hit for hit in lexicon.match(text)}


def test_when_parts_of_a_gapped_phrase_are_split_by_words_then_it_matches():
    text = "您的电子密码器将于今日失效，请及时处理"
    hit = phrases(text)["密码器…失效"]
    assert hit.scenario == "phishing"
    assert hit.span == (text.index("密码器"), text.index("失效") + 2)


def test_when_parts_are_too_far_apart_then_the_gapped_phrase_does_not_match():
    text = "密码器" + "的" * (lexicon.GAP + 1) + "失效"
    assert "密码器…失效" not in phrases(text)


def test_when_parts_come_in_the_other_order_then_the_gapped_phrase_does_not_match():
    assert "密码器…失效" not in phrases("已失效的不是密码器")


def test_when_a_part_is_written_in_traditional_characters_then_it_still_matches():
    hit = phrases("您的網銀將於今日過期")["网银…过期"]
    assert hit.span is None  # found only after normalisation
    assert hit.weight > 0


def test_when_a_plain_phrase_repeats_then_it_is_counted_once():
    found = [h.phrase for h in lexicon.match("刷单刷单，刷单返利")]
    assert found.count("刷单") == 1


def test_when_nothing_matches_then_no_hits_are_returned():
    assert lexicon.match("台风今天下午登陆，请注意安全") == []


def test_when_taiwan_spells_account_then_mainland_phrases_still_match():
    # 帳戶 stays 帐户 after normalisation; the lexicon reads it as 账户.
    found = phrases("請將存款轉入監管帳戶，並配合檢察官調查")
    assert {"监管账户", "检察官"} <= set(found)
    assert found["监管账户"].scenario == "impersonate_authority"
