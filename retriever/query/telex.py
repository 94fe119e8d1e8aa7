"""Words typed as Telex or VNI keystrokes, read as the Vietnamese syllables they spell.

A reader whose keyboard has no Vietnamese input method on sometimes types the keystrokes raw: "bieen
gioiws Vieetj Nam Laof" (Telex), "bie6n gio71i Vie65t Nam La2o" (VNI). As typed, those words have no
Vietnamese shape and the collection uses none of them: the question read as a foreign language and was
declined, or searched on its few plain words. Written as the syllables they spell, it is the question the
reader meant. Only the input methods' key tables are used; whether a question is converted at all is
decided on the whole question (`from_keystrokes`), never word by word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from retriever.query.language import english_words, looks_vietnamese, shape_foreign
from retriever.text import fold_word, has_diacritics

ACUTE, GRAVE, HOOK, TILDE, DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
CIRCUMFLEX, HORN, BREVE = "\u0302", "\u031b", "\u0306"
# tone keys ("" removes the tone: Telex z, VNI 0)
TELEX_TONES = {"s": ACUTE, "f": GRAVE, "r": HOOK, "x": TILDE, "j": DOT, "z": ""}
VNI_TONES = {"1": ACUTE, "2": GRAVE, "3": HOOK, "4": TILDE, "5": DOT, "0": ""}
FINALS = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})
_STOPS = frozenset({"c", "ch", "p", "t"})  # a syllable ending in a stop takes no tone but sắc or nặng
_WORD = re.compile(r"\w+", re.UNICODE)

Vowel = list[str]  # [letter, its mark ("", CIRCUMFLEX, HORN or BREVE)]


def _mark(vowels: list[Vowel], letters: str, mark: str) -> bool:
    """`mark` on the last bare vowel of `letters` typed so far: the key may follow the whole cluster
    ("Vie65t" → "Việt", "gioiws" → "giới")."""
    for vowel in reversed(vowels):
        if vowel[0] in letters and not vowel[1]:
            vowel[1] = mark
            return True
    return False


def _horn(vowels: list[Vowel], breve: bool) -> bool:
    """Telex's w (`breve`: it also makes ă) or VNI's 7: "uo" → "ươ" (người), else o → ơ, u → ư; Telex's
    w makes ă where nothing takes the horn, and in "oa" ("hoawjc" → "hoặc")."""
    for before, after in zip(vowels, vowels[1:]):
        if before[0] == "u" and before[1] in ("", HORN) and after == ["o", ""]:
            before[1] = after[1] = HORN
            return True
    if breve and any(before == ["o", ""] and after == ["a", ""] for before, after in zip(vowels, vowels[1:])):
        return _mark(vowels, "a", BREVE)
    return _mark(vowels, "o", HORN) or _mark(vowels, "u", HORN) or (breve and _mark(vowels, "a", BREVE))


def _tone_at(vowels: list[Vowel], final: str) -> int:
    """Which vowel carries the tone. A vowel with its own mark takes it (the ơ of "ươ"); otherwise the
    last one before a final ("hoàn"), the middle of three ("ngoái"), the first of two: "hòa", "thủy",
    "ủy", as the bundled news writes them (the newer "hoà", "thuỷ" is rarer in it)."""
    marked = [i for i, (_, mark) in enumerate(vowels) if mark]
    if marked:
        return marked[-1]
    if final or len(vowels) == 1:
        return len(vowels) - 1
    return 1 if len(vowels) == 3 else 0


def syllable(word: str) -> str | None:
    """The Vietnamese syllable `word` spells in Telex or VNI keystrokes ("Vieetj", "Vie65t" → "Việt"; a
    plain syllable spells itself), or None when it spells none ("km", "Sonexay", "2300")."""
    lower = word.lower()
    if not lower.isascii() or not lower.isalnum() or lower.isdigit():
        return None
    vni = any(ch.isdigit() for ch in lower)
    tones = VNI_TONES if vni else TELEX_TONES
    initial, final, tone, stroke = "", "", None, False
    vowels: list[Vowel] = []
    for i, ch in enumerate(lower):
        if ch in "aeiouy":
            if not vni and (final or ch == lower[i - 1:i]) and ch in "aeo":  # Telex's aa ee oo, also after
                bare = [vowel for vowel in vowels if vowel == [ch, ""]]  # the final ("tienge" → "tiêng")
                if not bare:
                    return None
                bare[-1][1] = CIRCUMFLEX
            elif final:
                return None
            else:
                vowels.append([ch, ""])
        elif ch in tones and (vowels or vni):  # Telex's s x r before the vowels are consonants
            if tone is not None or not vowels:
                return None
            tone = tones[ch]
        elif not vni and ch == "w":
            if not vowels and not final:
                vowels.append(["u", HORN])  # a standalone w is ư ("nhw" → "như")
            elif not _horn(vowels, breve=True):
                return None
        elif vni and ch in "678":
            if not (_mark(vowels, "aeo", CIRCUMFLEX) if ch == "6" else _horn(vowels, breve=False) if ch == "7"
                    else _mark(vowels, "a", BREVE)):
                return None
        elif vni and ch == "9":
            stroke = True
        elif not vowels:
            initial += ch
        else:
            final += ch
    if not vowels or final not in FINALS or (tone in (GRAVE, HOOK, TILDE) and final in _STOPS):
        return None
    if initial == "q" and vowels[0] == ["u", ""] and len(vowels) > 1:
        initial, vowels = "qu", vowels[1:]
    elif initial == "g" and vowels[0] == ["i", ""] and len(vowels) > 1:
        initial, vowels = "gi", vowels[1:]
    if initial.startswith("dd") and not vni:
        initial = "đ" + initial[2:]
    elif stroke:
        if not initial.startswith("d"):
            return None
        initial = "đ" + initial[1:]
    if tone:
        vowels[_tone_at(vowels, final)][1] += tone
    spelled = unicodedata.normalize("NFC", initial + "".join(letter + mark for letter, mark in vowels) + final)
    if not looks_vietnamese(spelled):
        return None
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return spelled.upper()
    return spelled[0].upper() + spelled[1:] if word[0].isupper() else spelled


# the words a question's keys change, to each English function word in it, from which it is not read as
# English: Telex's "been" (bên), "to", "an", "do" are English's too. Of eval/'s English questions of
# another shape than Vietnamese's, none has more than 2 (changed words are chance there: "is" → "í",
# "of" → "ò", "has" → "há"); its Vietnamese questions typed in Telex with such a word have 8 to 15
KEYS_PER_ENGLISH_WORD = 3


def from_keystrokes(question: str, unused: Callable[[list[str]], list[bool]]) -> str:
    """`question` with its words typed as Telex or VNI keystrokes written as the syllables they spell, when
    it reads as such a question; else `question` as it is. `unused(words)` says, for each folded word,
    whether the collection never uses it. Words that spell no syllable (names, numbers, "km") stay as typed.

    Converted only when the question has no diacritics, has not the shape of Vietnamese (`shape_foreign`),
    does not read as English (`english_words`, `KEYS_PER_ENGLISH_WORD`), has that shape once converted, and
    most of the words the keys changed are words of the collection. Measured on eval/ (`python -m
    benchmarks.keystrokes`, docs/quality.md): none of its 1,831 English questions is converted, nor any of
    its 2,933 Vietnamese ones typed without diacritics (whose accents the collection restores), even with
    every word taken as known. Of the news's 199 Vietnamese questions typed in Telex, 196 come back exactly
    (VNI: 197). The rest: an English word ("hun many là ai"), an accented acronym ("UBTƯ"), Telex that
    already has Vietnamese's shape ("Saan Chonburi Daikin cachs Bangkok bao xa", searched as typed)."""
    if has_diacritics(question) or not shape_foreign(question):
        return question
    spelled = {match.span(): word for match in _WORD.finditer(question)
               if (word := syllable(match.group())) is not None and word != match.group()}
    if not spelled or len(spelled) < KEYS_PER_ENGLISH_WORD * len(english_words(question)):
        return question
    out, at = [], 0
    for (start, end), word in spelled.items():
        out += [question[at:start], word]
        at = end
    converted = "".join(out) + question[at:]
    if shape_foreign(without_diacritics(converted)):
        return question
    missing = unused([fold_word(word) for word in spelled.values()])
    return converted if sum(missing) < len(missing) / 2 else question


def without_diacritics(text: str) -> str:
    """`text` with its capitals but no diacritics: its shape judged as a Vietnamese reader's plain typing
    (`shape_foreign` takes any diacritic as Vietnamese)."""
    decomposed = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
