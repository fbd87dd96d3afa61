"""The lexicon of attribution: cue verbs, their stance, nominal cues, relays.

Kept apart from the rules in :mod:`bot.analysis.claims` so that the lists can
grow without touching the logic. Everything is lower-case lemmas.
"""

from __future__ import annotations

import re

from bot.models import Stance

# more verbs of belief and of coming to know, a claim only with a reported
# clause like "believe" ("engineers assume the pier will hold", "the crew
# learned that the port had closed"; never "learned the route")
BELIEF_VERBS_MORE = frozenset(
    {"learn", "realize", "realise", "discover", "assume", "presume", "suppose", "reckon"}
    | {"speculate", "hypothesize", "hypothesise", "theorize", "theorise", "anticipate"}
    | {"project", "understand", "sense", "gather"}
)

# verbs outside the lexicon that report a clause or a quotation ("charged
# that the party ignored them", "“…,” she snapped", "O'Neill interjected:
# “…”"); alone they name no source ("will be charged with murder").
# "answer" and "advise" were tried and cost a match on PolNeAR dev
CLAUSE_VERBS_MORE = frozenset({"charge", "snap", "fume", "interject"})

# verbs of saying that tell how something was said ("joked that …", "“…,”
# she quipped", "reminded voters that …"): a claim only with a clause or a
# quotation, never with an object alone ("shouted slogans")
MANNER_VERBS = frozenset(
    {"joke", "quip", "brag", "gripe", "grumble", "muse", "marvel", "scoff", "sneer"}
    | {"exclaim", "shout", "yell", "whisper", "mutter", "murmur", "confide", "divulge"}
    | {"recount", "remind", "reassure", "opine", "posit", "surmise", "concur", "clarify"}
    | {"swear", "gush"}
    | CLAUSE_VERBS_MORE
)

# verbs of saying and of stance; the value is the stance the cue gives
CUE_VERBS: dict[str, Stance] = {
    **{
        v: Stance.ASSERT
        for v in (
            "say",
            "tell",
            "claim",
            "assert",
            "add",
            "write",
            "state",
            "declare",
            "announce",
            "reveal",
            "maintain",
            "insist",
            "assure",
            "stress",
            "note",
            "highlight",
            "warn",
            "argue",
            "allege",
            "suggest",
            "explain",
            "report",
            "post",
            "tweet",
            "reply",
            "respond",
            "comment",
            "conclude",
            "emphasise",
            "emphasize",
            "underline",
            "underscore",
            "predict",
            "estimate",
            "indicate",
            "reiterate",
            "repeat",
            "accuse",
            "blame",
            "label",
            "call",
            "describe",
            "urge",
            "caution",
            "promise",
            "pledge",
            "vow",
            "boast",
            "complain",
            "lament",
            "testify",
            "inform",
            "disclose",
            "contend",
            "counter",
            "retort",
            "point",
            "recall",
            "forecast",
            "mention",
            "observe",
            "remark",
            "brand",
            "characterize",
            "characterise",
            "hail",
            "praise",
            "criticise",
            "criticize",
            "condemn",
            "demand",
            "affirm",
            "proclaim",
            "announce",
            "signal",
            "imply",
            "hint",
            "tout",
            "detail",
            "specify",
            "quote",
            "put",
            # "“…,” he continued": only with a quotation (see verb_cues)
            "continue",
        )
    },
    **{v: Stance.ASSERT for v in ("think", "believe", "expect", "fear", "hope", "suspect")},
    **{v: Stance.ASSERT for v in ("feel", "worry", "agree", "find", "show", "know", "determine")},
    "rule": Stance.ASSERT,
    **{v: Stance.ASSERT for v in ("record", "register", "tally", "count", "log", "detect")},
    "measure": Stance.ASSERT,
    **{v: Stance.DENY for v in ("deny", "dismiss", "reject", "refute", "rebuff", "dispute")},
    **{v: Stance.DENY for v in ("repudiate", "rebut", "debunk", "disavow", "contest", "decry")},
    **{v: Stance.CONFIRM for v in ("confirm", "acknowledge", "admit", "concede", "verify")},
    **{v: Stance.QUESTION for v in ("question", "doubt", "wonder", "query")},
    # "asked whether …", '"Why now?" she asked': a question, not an assertion;
    # "asked him to leave" (a request) has no clause and gives no claim
    "ask": Stance.QUESTION,
    **{v: Stance.ASSERT for v in BELIEF_VERBS_MORE},
    **{v: Stance.ASSERT for v in MANNER_VERBS},
    "confess": Stance.CONFIRM,
    **{v: Stance.ASSERT for v in ("portray", "depict", "paint", "frame")},
    "downplay": Stance.DENY,
    # "apologized for the remarks": owning up to something, with what for
    **{v: Stance.CONFIRM for v in ("apologize", "apologise")},
    # "echoed the mayor's call for a ceasefire": what was echoed, never whom
    "echo": Stance.ASSERT,
}

# objects of "echo" that name only a kind of content ("echoed the remarks",
# "echo her concerns"), not what it said
EMPTY_ECHOES = frozenset(
    {"comment", "remark", "word", "sentiment", "view", "line", "theme", "concern", "point"}
)

# phrasal verbs of talking something up or down, read as their one-word cue
# ("talked up his plans to widen the port" is "touted …", "played down the
# risk" is "downplayed …"): the verb and its particle
PHRASAL_CUES: dict[tuple[str, str], str] = {
    ("talk", "up"): "tout",
    ("play", "up"): "tout",
    ("play", "down"): "downplay",
}

# verbs of casting someone or something in a light, a claim only with the
# object and its label after "as" ("portrayed the strikers as criminals",
# "framed the vote as a referendum on the mayor"; never "painted the fence").
# "cast" was tried and dropped: "cast the actor as the hero" is a film's
AS_LABEL_CUES = frozenset({"portray", "depict", "paint", "frame"})

# verbs of belief, finding and showing: a claim only with a reported clause
# ("officials believe the blast was deliberate", "the review found that …"),
# never with an object alone ("found the keys") nor a quotation beside them
CLAUSE_ONLY_CUES = frozenset(
    {"think", "believe", "expect", "fear", "hope", "suspect", "feel", "worry", "agree"}
    | {"find", "show", "know", "determine", "rule"}
    | BELIEF_VERBS_MORE
)

# verbs of recording a figure: a claim when an institution or an instrument
# records a count ("seismic stations registered two blasts", "rescuers
# tallied more than 1,200 deaths"); the content is the verb phrase
RECORD_CUES = frozenset({"record", "register", "tally", "count", "log", "detect", "measure"})

# documents that speak for whoever issued them ("the board's preliminary
# report said", "a review by the regulator found", "the letter says")
DOCUMENT_NOUNS = frozenset(
    {"report", "review", "letter", "filing", "study", "investigation", "inquiry", "audit"}
    | {
        "memo",
        "memorandum",
        "notice",
        "document",
        "assessment",
        "survey",
        "poll",
        "statement",
        "analysis",
    }
    | {"complaint", "lawsuit", "ruling", "indictment", "petition", "release", "missive"}
)

# cues that carry no content by themselves and need a clause, a quote or an
# object: "he added" alone is not a claim
NEEDS_CLAUSE = (
    frozenset(
        {"add", "note", "post", "tweet", "reply", "respond", "comment", "point", "repeat", "signal"}
        | {"ask", "continue", "confess"}
        | MANNER_VERBS
    )
    | CLAUSE_ONLY_CUES
)

# objects that name a kind of content without giving it ("announced plans",
# "confirmed the details", "disclosed its decision"): no claim by themselves
EMPTY_OBJECTS = frozenset(
    {"plan", "detail", "step", "measure", "change", "decision", "result", "news", "move"}
    | {"intention", "update", "information", "figure", "number", "finding", "outcome"}
)

# cues whose object is a proposition in itself ("dismissed the claims")
OBJECT_CUES = frozenset(
    {
        "deny",
        "dismiss",
        "reject",
        "refute",
        "rebuff",
        "dispute",
        "repudiate",
        "rebut",
        "debunk",
        "disavow",
        "contest",
        "decry",
        "confirm",
        "acknowledge",
        "admit",
        "concede",
        "verify",
        "question",
        "doubt",
        "claim",
        "allege",
        "announce",
        "reveal",
        "declare",
        "stress",
        "highlight",
        "accuse",
        "blame",
        "label",
        "call",
        "describe",
        "brand",
        "characterize",
        "characterise",
        "condemn",
        "criticise",
        "criticize",
        "hail",
        "praise",
        "urge",
        "warn",
        "predict",
        "estimate",
        "forecast",
        "maintain",
        "disclose",
        "detail",
        "report",
        "underline",
        "underscore",
        "emphasise",
        "emphasize",
        "affirm",
        "proclaim",
        "tout",
        "reiterate",
        "promise",
        "pledge",
        "vow",
        "mention",
        "downplay",
        "echo",
    }
)

# what one "maintains" as a stand when no clause follows ("maintained his
# innocence", "maintains its position"); any other object is something kept
# ("maintains a commanding lead", "maintained some clout", "maintains the title")
MAINTAINED_NOUNS = frozenset(
    {"innocence", "position", "stance", "view", "line", "belief", "opposition", "silence"}
)

# the cues of judging that are no verbs of saying: a position with its
# object ("slammed the media for …", "denounced the ruling"); "attacked",
# "blasted", "slammed" and "assailed" only with a reason, or a person
# judging someone named. Thanks and congratulations are courtesies, no stand.
JUDGING_ONLY = frozenset(
    {"mock", "ridicule", "attack", "slam", "blast", "lambast", "lambaste", "denounce"}
    | {"assail", "fault", "rebuke", "chastise", "scold", "applaud", "commend", "deride"}
    | {"defend"}
    | {"laud", "chide", "berate", "castigate", "excoriate", "upbraid"}
)
JUDGING_PHYSICAL = frozenset({"attack", "slam", "blast", "assail"})
# what a side defends as a stand, not a place or a title ("defended the
# decision", "defended his remarks", "is defending its record")
DEFENDED_NOUNS = frozenset(
    {"action", "decision", "remark", "comment", "statement", "endorsement", "record", "vote"}
    | {"choice", "position", "stance", "response", "handling", "approach", "use", "practice"}
    | {"strategy", "conduct", "move", "order", "ruling", "claim", "view", "support", "tweet"}
)
# cues of judging someone or something ("praised the efforts of a donor to
# attack …", "questioning her judgment in backing the war", "blamed the
# violence on a disturbed man"): what was judged is the object's whole
# phrase, however the parser hung its pieces on the verb
JUDGING_CUES = JUDGING_ONLY | frozenset(
    {"praise", "hail", "criticise", "criticize", "condemn", "blame", "accuse", "question"}
    | {"decry", "lament"}
)
# prepositions that open a time, place or occasion, not part of what was judged
# ("praised the crew at a news conference on Monday")
JUDGING_ADJUNCT_PREPS = frozenset(
    {"at", "during", "after", "before", "since", "until", "amid", "despite", "via", "through"}
)

# cues that need a second complement after the object ("called the claims
# unfounded", "labelled Beijing a decisive enabler"); bare "call" is a phone call
NEEDS_COMPLEMENT = frozenset({"call", "label", "brand", "describe", "characterize", "characterise"})

# objects that give a cue no content of its own: "stressed the importance of
# …", "highlighted the need for …", "underlined the seriousness of …"
EMPHASIS_NOUNS = frozenset(
    {"importance", "seriousness", "significance", "gravity", "urgency", "need", "necessity"}
)

# nouns that make "in a statement" / "in a post" a nominal cue
STATEMENT_NOUNS = frozenset(
    {
        "statement",
        "post",
        "tweet",
        "interview",
        "message",
        "letter",
        "briefing",
        "remark",
        "speech",
        "address",
        "release",
        "communique",
        "communiqué",
        "video",
        "op-ed",
        "editorial",
        "comment",
        "testimony",
        "memo",
        "note",
    }
)

# objects of "tell" that belong to the cue ("told reporters")
AUDIENCE = frozenset(
    {
        "reporter",
        "journalist",
        "medium",
        "media",
        "press",
        "audience",
        "lawmaker",
        "parliament",
        "congress",
        "supporter",
        "crowd",
        "viewer",
        "listener",
        "correspondent",
        "broadcaster",
        "newspaper",
        "conference",
        "briefing",
        "hearing",
        "summit",
        "committee",
        "session",
        "rally",
        "radio",
        "television",
        "channel",
        "agency",
        "outlet",
        "interviewer",
    }
)

# words that can open a speaker phrase but name nobody
NON_SPEAKERS = frozenset(
    {
        "it",
        "this",
        "that",
        "which",
        "what",
        "there",
        "claim",
        "allegation",
        "accusation",
        "rumour",
        "rumor",
        "speculation",
        "question",
        "one",
        "nobody",
        "no",
        "none",
        "some",
        "everyone",
        "anyone",
        # measures are what is reported, not who reports
        "number",
        "figure",
        "total",
        "toll",
        "count",
        "rate",
        "share",
        "percentage",
        "proportion",
        "amount",
        "level",
        "majority",
        "half",
        "data",
        "datum",
    }
)

# nouns that stand for a person previously named ("the spokesperson said")
ROLE_NOUNS = frozenset(
    {
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "president",
        "minister",
        "leader",
        "official",
        "chief",
        "secretary",
        "ambassador",
        "envoy",
        "commander",
        "general",
        "premier",
        "chancellor",
        "governor",
        "mayor",
        "senator",
        "lawmaker",
        "director",
        "executive",
        "ceo",
        "founder",
        "chairman",
        "chairwoman",
        "chair",
        "head",
        "diplomat",
        "analyst",
        "expert",
        "researcher",
        "scientist",
        "doctor",
        "professor",
        "author",
        "prosecutor",
        "judge",
        "lawyer",
        "attorney",
        "king",
        "queen",
        "prince",
        "pope",
        "monarch",
        "prime",
        "deputy",
        "aide",
        "adviser",
        "advisor",
        "negotiator",
        "representative",
        "officer",
        "colonel",
        "captain",
        "candidate",
        "economist",
        "strategist",
        "witness",
        "resident",
        "survivor",
        "activist",
        "manager",
    }
)

# people named by their tie to someone else ("a friend of Mr. Cole", "his
# lawyer"): the phrase is the speaker, not the one they are tied to
RELATION_NOUNS = frozenset(
    {"friend", "wife", "husband", "brother", "sister", "son", "daughter", "father"}
    | {"mother", "cousin", "relative", "aide", "adviser", "advisor", "ally", "associate"}
    | {"colleague", "lawyer", "attorney", "supporter", "neighbor", "neighbour", "roommate"}
    | {"classmate", "confidant", "confidante"}
)

# institution heads that make "the Chinese government" a speaker of that side
INSTITUTION_NOUNS = frozenset(
    {
        "government",
        "ministry",
        "administration",
        "embassy",
        "authority",
        "official",
        "military",
        "army",
        "force",
        "navy",
        "office",
        "department",
        "agency",
        "cabinet",
        "parliament",
        "presidency",
        "side",
        "leadership",
        "regime",
        "state",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "mission",
        "delegation",
        "command",
        "police",
        "service",
        "council",
        "court",
        "medium",
        "media",
    }
)

# news agencies and outlets: they relay, they are not speakers when someone
# else is named in the same sentence
AGENCIES = frozenset(
    {
        "reuters",
        "ap",
        "the ap",
        "associated press",
        "the associated press",
        "afp",
        "agence france-presse",
        "agence france presse",
        "bloomberg",
        "interfax",
        "tass",
        "ria novosti",
        "ria",
        "xinhua",
        "unian",
        "ukrinform",
        "yonhap",
        "kyodo",
        "anadolu",
        "dpa",
        "efe",
        "ansa",
        "pti",
        "ani",
        "bbc",
        "cnn",
        "nbc",
        "cbs",
        "abc",
        "npr",
        "cnbc",
        "al jazeera",
        "politico",
        "axios",
        "sky news",
        "fox news",
        "the hill",
        "nikkei",
        "kyiv independent",
        "the kyiv independent",
        "global times",
    }
)
_OUTLET_WORDS = re.compile(
    r"\b(?:news|times|post|journal|herald|tribune|gazette|press|media|tv|television|"
    r"radio|broadcast\w*|network|daily|telegraph|guardian|independent|observer|chronicle|"
    r"wire|magazine|review|news agency|press agency|news service|press service)\b",
    re.IGNORECASE,
)

# content that disputes what it is about
DENY_CONTENT = re.compile(
    r"\b(?:unfounded|baseless|groundless|no basis|without basis|untrue|not true|false(?:hood)?s?|"
    r"fabricat\w+|fake news|nonsense|absurd|slander\w*|smear|lies|lying|"
    r"made[- ]up|not the case|never happened|no evidence|without evidence|"
    r"categorically|ridiculous|groundless)\b",
    re.IGNORECASE,
)
# claims-about-claims: "dismissed the claims that ...", "the allegations were ..."
CLAIM_NOUNS = frozenset(
    {
        "claim",
        "allegation",
        "accusation",
        "report",
        "suggestion",
        "assertion",
        "notion",
        "idea",
        "rumour",
        "rumor",
        "charge",
        "speculation",
        "story",
    }
)

MODALS = frozenset({"may", "might", "could", "would", "should", "can", "must"})

# facts worth keeping when the outlet states them with a figure
FACT_LEMMAS = frozenset(
    {
        "kill",
        "die",
        "dead",
        "death",
        "injure",
        "wound",
        "hurt",
        "capture",
        "detain",
        "arrest",
        "displace",
        "evacuate",
        "missing",
        "infect",
        "case",
        "hospitalise",
        "hospitalize",
        "flee",
        "rescue",
        "destroy",
        "damage",
        "affect",
        "casualty",
        "victim",
        "toll",
        "fatality",
        "strike",
        "fire",
        "launch",
        "shoot",
        "down",
        "intercept",
        "evacuee",
        "refugee",
        "hostage",
        "prisoner",
        "captive",
        "release",
        "free",
        "seize",
        "fight",
        "deploy",
        "vaccinate",
        "test",
        "confirm",
        "declare",
        "lay",
        "cut",
        "layoff",
        "breach",
        "leak",
        "expose",
        "outage",
        "sign",
        "approve",
        "ban",
        "fine",
        "sanction",
    }
)

ROLE_WORDS = ROLE_NOUNS | INSTITUTION_NOUNS


def is_outlet_name(name: str, outlet: str | None = None) -> bool:
    """Whether ``name`` is a news agency or outlet (a relay, not a speaker)."""
    low = re.sub(r"\s+", " ", name.strip().lower())
    low = re.sub(r"^(?:the )?(?:news agency|agency|outlet|newspaper|broadcaster) ", "", low)
    if low in AGENCIES or low.removeprefix("the ") in AGENCIES:
        return True
    if outlet and low.removeprefix("the ") == outlet.strip().lower().removeprefix("the "):
        return True
    # a named outlet ("The Kyiv Independent", "Xinhua News Agency"), not
    # "the agency" or "state media" in general
    named = any(w[:1].isupper() for w in name.split() if w.lower() not in ("the", "a", "an"))
    return (
        named
        and bool(_OUTLET_WORDS.search(low))
        and not re.search(r"\b(?:ministry|government|office|department|council|service of)\b", low)
    )


# verbs of regarding, whose object and its complement make a
# proposition ("experts see the vote as a test", "the board considered her
# the best choice"); never the object alone ("saw the rally")
VIEW_VERBS = frozenset({"see", "view", "regard", "perceive", "consider", "deem"})
# verbs by which a poll reports what a share of the people it asked prefer
# or hold, with no verb of saying ("41 percent would choose Ruiz", "a
# majority of voters oppose the toll", "six in 10 want a new pier")
POLL_VERBS = frozenset(
    {"support", "oppose", "favor", "favour", "prefer", "want", "back", "approve", "disapprove"}
    | {"choose", "pick", "vote", "endorse", "trust", "distrust", "reject", "accept", "like"}
    | {"dislike", "name", "select", "agree", "disagree", "opt"}
)
# a state of mind a share is in ("nine in 10 are unhappy with the council",
# "those polled were evenly split on whether …")
ATTITUDE_ADJECTIVES = frozenset(
    {"unhappy", "happy", "satisfied", "dissatisfied", "content", "angry", "enthusiastic"}
    | {"unenthusiastic", "undecided", "split", "divided", "opposed", "comfortable"}
    | {"uncomfortable", "unsure", "likely", "unlikely", "willing", "unwilling", "open"}
)
# what a share "has" or "holds" that is a view ("have a favourable opinion of her")
OPINION_NOUNS = frozenset({"opinion", "view", "impression", "feeling", "response", "confidence"})
# how a share "views" or "rates" someone ("viewed him favourably")
FAVOUR_ADVERBS = frozenset(
    {"favorably", "favourably", "unfavorably", "unfavourably", "positively", "negatively"}
)
# nouns of a poll or survey ("in the latest poll, the mayor leads")
POLL_NOUNS = frozenset({"poll", "survey", "polling"})
# sources of a finding that can show a noun phrase ("the survey
# showed the mayor in the lead", "a study found the drug safe")
FINDING_NOUNS = POLL_NOUNS | frozenset({"study", "analysis", "research", "census", "audit"})
# nouns and adjectives of belief with a clause, by the verb whose
# stance they take ("her belief that …", "is convinced that …")
BELIEF_NOUNS: dict[str, str] = {
    **{n: "believe" for n in ("belief", "view", "conviction", "opinion", "assessment")},
    **{n: "believe" for n in ("impression", "position", "understanding", "assumption")},
    **{n: "expect" for n in ("expectation", "prediction", "estimate", "forecast")},
    **{n: "fear" for n in ("fear", "concern", "worry")},
    **{"hope": "hope", "suspicion": "suspect", "doubt": "doubt", "confidence": "believe"},
    # feelings voiced about a proposition ("expressed frustration that the
    # allies did too little", "voiced skepticism that the plan would work")
    **{n: "believe" for n in ("frustration", "alarm", "outrage", "dismay", "regret", "anger")},
    **{n: "believe" for n in ("disappointment", "surprise", "relief", "satisfaction")},
    **{n: "believe" for n in ("displeasure", "amusement", "remorse", "astonishment")},
    **{"skepticism": "doubt", "scepticism": "doubt", "optimism": "hope", "pessimism": "fear"},
    # things said, named by a noun that a light verb carries ("issued a
    # warning that …", "gave assurances that …", "made the case that …",
    # "repeated the claim that …"); the value is the verb of saying whose
    # stance the claim takes
    **{n: "warn" for n in ("warning", "caution")},
    **{n: "assure" for n in ("assurance", "reassurance", "guarantee")},
    **{n: "promise" for n in ("promise", "pledge", "vow")},
    **{n: "argue" for n in ("case", "argument", "point")},
    **{"claim": "claim", "insistence": "insist", "admission": "admit", "threat": "warn"},
}
BELIEF_ADJECTIVES: dict[str, str] = {
    **{a: "believe" for a in ("convinced", "confident", "sure", "certain", "adamant")},
    **{a: "believe" for a in ("aware", "optimistic", "positive")},
    **{a: "fear" for a in ("worried", "afraid", "fearful", "concerned", "pessimistic")},
    **{"hopeful": "hope", "doubtful": "doubt", "skeptical": "doubt", "sceptical": "doubt"},
}


# positions a side takes in public without "saying" a proposition: demands
# and calls ("called for an inquiry", "urged the city to reopen the talks",
# "appealed for donations", "pressed the board to resign", "asked the court
# to block the sale"), proposals and recommendations ("proposed a ban on
# coal plants"). The claim is the verb phrase with its verb, so that
# "Speaker — called for an inquiry" reads as what was demanded; each verb
# counts only in the frames `claims.positions` lists ("appealed the ruling",
# "pushed the button", "asked about the vote" are none)
REQUEST_CUES = frozenset(
    {"call", "urge", "demand", "appeal", "press", "push", "ask", "plead", "implore", "beg"}
    | {"request"}
)
PROPOSAL_CUES = frozenset({"propose", "recommend"})
# stated support and opposition ("the governor endorsed Cruz", "the union
# backs the levy", "Hale opposes the bill"): a position with its object
SUPPORT_CUES = frozenset({"endorse", "back", "support", "oppose"})
# what a side backs or opposes besides someone: a measure, never a thing
# ("the river supports the livelihoods of …", "the pier supports lorries")
MEASURE_NOUNS = frozenset(
    {"bill", "law", "legislation", "measure", "proposal", "plan", "policy", "ban", "deal"}
    | {"agreement", "accord", "treaty", "amendment", "resolution", "reform", "tax", "levy"}
    | {"candidate", "candidacy", "nomination", "nominee", "bid", "campaign", "idea", "move"}
    | {"decision", "effort", "initiative", "motion", "referendum", "strike", "sanction"}
    | {"ceasefire", "truce", "war", "invasion", "merger", "takeover", "acquisition", "budget"}
    | {"wall", "pipeline", "project", "program", "programme", "scheme", "rule", "regulation"}
)
# what a side wants or refuses to do ("wants to build a wall", "wants
# Congress to act", "refused to resign")
WILL_CUES = frozenset(
    {"want", "refuse", "decline", "agree", "plan", "intend", "decide", "hope", "expect", "aim"}
    | {"vow", "pledge", "promise", "threaten", "seek", "offer", "vote"}
)
# acts that are no stand when wanted or refused ("refused to comment",
# "wants to thank", "wanted to know")
PLAIN_ACTS = frozenset(
    {"know", "see", "thank", "say", "hear", "talk", "tell", "ask", "comment", "answer"}
    | {"discuss", "elaborate", "confirm", "speculate", "respond", "reply", "reveal", "name"}
    | {"identify", "disclose", "specify", "give", "get", "go", "come", "do", "make", "be"}
    | {"have", "keep", "look", "wait", "try", "add", "point", "note", "remind", "share"}
    | {"weigh"}
)
# a source or reason a side gives for a stand ("citing rising costs",
# "pointed to the drop in sales"): the verb with what is cited
REASON_CUES = frozenset({"cite", "point"})
# what a side spoke, wrote or reminded others of, named without what it said
# of it ("talked about the new budget", "spoke of a visit to the mill",
# "referring to the mayor's plan", "recalled her years as a teacher"): the
# verb with its topic, each in its own frame (``claims.positions``); the
# preposition each takes before the topic, "" for an object
TOPIC_CUES: dict[str, frozenset[str]] = {
    "talk": frozenset({"about", "of"}),
    "speak": frozenset({"about", "of"}),
    "write": frozenset({"about", "of"}),
    "refer": frozenset({"to"}),
    "comment": frozenset({"on", "about"}),
    "joke": frozenset({"about"}),
    "recall": frozenset({""}),
    "recount": frozenset({""}),
    "discuss": frozenset({""}),
    "explain": frozenset({""}),
    "describe": frozenset({""}),
    "tweet": frozenset({""}),
    "post": frozenset({""}),
}
# verbs that voice a stand or a feeling named by a noun, and the nouns, each
# with the prepositions that name what it is about ("expressed support for
# the levy", "voiced concern about the cost", "expressed confidence in the
# board"): the verb with its noun and that phrase is the claim
VOICE_CUES = frozenset({"express", "voice"})
VOICED_NOUNS: dict[str, frozenset[str]] = {
    **{n: frozenset({"for", "of"}) for n in ("support", "backing", "admiration", "sympathy")},
    **{n: frozenset({"for"}) for n in ("enthusiasm", "solidarity", "preference", "contempt")},
    **{n: frozenset({"to", "of"}) for n in ("opposition", "objection", "objections")},
    **{n: frozenset({"about", "over", "at", "regarding"}) for n in ("concern", "concerns")},
    **{n: frozenset({"about", "over", "at", "regarding"}) for n in ("worry", "worries")},
    **{n: frozenset({"about", "over", "at", "with"}) for n in ("frustration", "dismay")},
    **{n: frozenset({"about", "over", "at", "with"}) for n in ("outrage", "anger", "alarm")},
    **{n: frozenset({"about", "over", "at", "with"}) for n in ("displeasure", "disappointment")},
    **{n: frozenset({"about", "over", "of", "toward", "towards"}) for n in ("skepticism",)},
    **{n: frozenset({"about", "over", "regarding"}) for n in ("doubt", "doubts", "reservations")},
    **{n: frozenset({"about", "over", "regarding"}) for n in ("optimism", "pessimism")},
    **{n: frozenset({"in", "about"}) for n in ("confidence", "faith", "trust")},
    **{"regret": frozenset({"for", "over", "about", "at"}), "interest": frozenset({"in"})},
}
# light verbs that make a call ("made a call for an end to the subsidies",
# "renewed her appeal for donations"): a claim
# only with one of CALL_NOUNS and what it asks for
LIGHT_CALL_CUES = frozenset({"make", "renew"})
CALL_NOUNS = frozenset({"call", "appeal", "plea", "demand", "request"})
# words of readiness or expectation under which an infinitive of saying with
# a reported clause is what their subject says ("was quick to point out that
# …", "were careful to note that …", "is expected to argue that …", "went out
# of his way to say that …", "hastened to add that …")
READINESS_WORDS = frozenset(
    {"quick", "swift", "fast", "eager", "keen", "careful", "happy", "glad", "proud", "first"}
)
READINESS_VERBS = frozenset({"expect", "go", "hasten", "rush", "seem", "move", "continue"})

POSITION_CUES = (
    VOICE_CUES
    | LIGHT_CALL_CUES
    | REQUEST_CUES
    | PROPOSAL_CUES
    | SUPPORT_CUES
    | WILL_CUES
    | JUDGING_ONLY
    | REASON_CUES
    | frozenset(TOPIC_CUES)
)
# what a call asks for when it asks for nothing one could follow up
# ("called for calm", "urged restraint", "demanded answers", "calling for
# immediate international attention"), and acts as vague ("called on allies
# to respond", "urged the council to act")
VAGUE_REQUESTS = frozenset(
    {"calm", "restraint", "attention", "unity", "patience", "caution", "help", "action"}
    | {"answer", "explanation", "response", "clarification", "reaction", "support"}
    | {"solidarity", "prayer", "peace", "dialogue", "understanding", "vigilance"}
    | {"silence", "quiet"}
)
# media that ask without being a side ("the messages ask them to log in",
# "a pop-up asks you to pay"): no position of anyone
# occasions to speak that a side uses to say something ("used her speech to
# accuse …", "used the hearing to criticize …")
OCCASION_NOUNS = frozenset(
    {"speech", "remarks", "address", "appearance", "platform", "hearing", "debate"}
    | {"rally", "column", "op-ed", "podcast", "show", "sermon", "testimony", "floor"}
)
MEDIUM_NOUNS = frozenset(
    {"message", "email", "e-mail", "text", "sms", "link", "pop", "popup", "pop-up", "ad"}
    | {"advert", "advertisement", "sign", "banner", "screen", "notification", "prompt", "form"}
    | {"page", "website", "site", "app", "window", "scam", "bot", "recording"}
)
VAGUE_ACTS = frozenset({"respond", "react", "act", "help", "do"})
# a participle of a position verb as an alert shows it ("calling for an
# inquiry" → "called for an inquiry")
POSITION_PAST = {
    "calling": "called",
    "describing": "described",
    "labelling": "labelled",
    "labeling": "labeled",
    "branding": "branded",
    "characterizing": "characterized",
    "characterising": "characterised",
    "urging": "urged",
    "demanding": "demanded",
    "appealing": "appealed",
    "pressing": "pressed",
    "pushing": "pushed",
    "asking": "asked",
    "pleading": "pleaded",
    "imploring": "implored",
    "begging": "begged",
    "requesting": "requested",
    "proposing": "proposed",
    "recommending": "recommended",
    "endorsing": "endorsed",
    "backing": "backed",
    "supporting": "supported",
    "opposing": "opposed",
    "refusing": "refused",
    "agreeing": "agreed",
    "planning": "planned",
    "intending": "intended",
    "deciding": "decided",
    "hoping": "hoped",
    "expecting": "expected",
    "aiming": "aimed",
    "vowing": "vowed",
    "pledging": "pledged",
    "promising": "promised",
    "threatening": "threatened",
    "seeking": "sought",
    "offering": "offered",
    "defending": "defended",
    "voting": "voted",
    "declining": "declined",
    "citing": "cited",
    "pointing": "pointed",
    "talking": "talked",
    "speaking": "spoke",
    "writing": "wrote",
    "referring": "referred",
    "recalling": "recalled",
    "recounting": "recounted",
    "discussing": "discussed",
    "commenting": "commented",
    "joking": "joked",
    "explaining": "explained",
    "tweeting": "tweeted",
    "posting": "posted",
    "mocking": "mocked",
    "ridiculing": "ridiculed",
    "deriding": "derided",
    "attacking": "attacked",
    "slamming": "slammed",
    "blasting": "blasted",
    "lambasting": "lambasted",
    "denouncing": "denounced",
    "assailing": "assailed",
    "faulting": "faulted",
    "rebuking": "rebuked",
    "chastising": "chastised",
    "scolding": "scolded",
    "applauding": "applauded",
    "lauding": "lauded",
    "chiding": "chided",
    "berating": "berated",
    "castigating": "castigated",
    "excoriating": "excoriated",
    "upbraiding": "upbraided",
    "commending": "commended",
    "praising": "praised",
    "criticizing": "criticized",
    "criticising": "criticised",
    "condemning": "condemned",
    "questioning": "questioned",
}
