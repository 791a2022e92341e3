"""Italian and English stop words for theme keywords and lexical views of short answers.

The Snowball Italian list (snowballstem.org, BSD licence), scikit-learn's English list (the Glasgow
Information Retrieval Group's, which also holds "last", "every", "new" and other words that say
nothing of a subject), with the words every consultation answer uses
whatever its subject ("need", "servono", "should", "bisogna", "region"): they say that something is
asked for, not what, and would otherwise top the keywords of every theme.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

SNOWBALL_ITALIAN = """
a abbia abbiamo abbiano abbiate ad agl agli ai al all alla alle allo anche avemmo avendo avesse
avessero avessi avessimo aveste avesti avete aveva avevamo avevano avevate avevi avevo avrai avranno
avrebbe avrebbero avrei avremmo avremo avreste avresti avrete avrà avrò avuta avute avuti avuto c che
chi ci coi col come con contro cui da dagl dagli dai dal dall dalla dalle dallo degl degli dei del dell
della delle dello di dov dove e ebbe ebbero ebbi ed era erano eravamo eravate eri ero essendo faccia
facciamo facciano facciate faccio facemmo facendo facesse facessero facessi facessimo faceste facesti
faceva facevamo facevano facevate facevi facevo fai fanno farai faranno farebbe farebbero farei faremmo
faremo fareste faresti farete farà farò fece fecero feci fosse fossero fossi fossimo foste fosti fu fui
fummo furono gli ha hai hanno ho i il in io l la le lei li lo loro lui ma mi mia mie miei mio ne negl
negli nei nel nell nella nelle nello noi non nostra nostre nostri nostro o per perché più quale quanta
quante quanti quanto quella quelle quelli quello questa queste questi questo sarai saranno sarebbe
sarebbero sarei saremmo saremo sareste saresti sarete sarà sarò se sei si sia siamo siano siate siete
sono sta stai stando stanno starai staranno starebbe starebbero starei staremmo staremo stareste
staresti starete starà starò stava stavamo stavano stavate stavi stavo stemmo stesse stessero stessi
stessimo steste stesti stette stettero stetti stia stiamo stiano stiate sto su sua sue sugl sugli sui
sul sull sulla sulle sullo suo suoi ti tra tu tua tue tuo tuoi tutti tutto un una uno vi voi vostra
vostre vostri vostro è
"""

SNOWBALL_ENGLISH = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
hers herself it its itself they them their theirs themselves what which who whom this that these
those am is are was were be been being have has had having do does did doing would should could
ought i'm you're he's she's it's we're they're i've you've we've they've i'd you'd he'd she'd we'd
they'd i'll you'll he'll she'll we'll they'll isn't aren't wasn't weren't hasn't haven't hadn't
doesn't don't didn't won't wouldn't shan't shouldn't can't cannot couldn't mustn't let's that's
who's what's here's there's when's where's why's how's a an the and but if or because as until while
of at by for with about against between into through during before after above below to from up
down in out on off over under again further then once here there when where why how all any both
each few more most other some such no nor not only own same so than too very s t can will just
don now d ll m o re ve y
"""

# Words of asking and wanting, and of the consultation itself, in both languages.
CONSULTATION_ITALIAN = """
altra altre altri altro anche ancora avere problema problemi dopo grande grandi nuova nuove nuovi nuovo prima
stessa stesse
stessi stesso soliti solito bisogna bisognerebbe cosa cose credo deve devono dovrebbe dovrebbero essere fare già
meno modo molto molti molte nostra nostre oggi ogni penso poco poi potrebbe potrebbero può quindi
regione regionale secondo sempre serve servono servirebbe servirebbero solo spesso tanto troppo
troppi troppa troppe vanno viene vengono volta
"""

CONSULTATION_ENGLISH = """
ask asked believe best better big etc good great get got like lot lots make may might need needed needs often please
new problem problems real
really region regional stay thing things think use want way ways would yes
"""


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


ITALIAN = _words(SNOWBALL_ITALIAN) | _words(CONSULTATION_ITALIAN)
ENGLISH = _words(SNOWBALL_ENGLISH) | frozenset(ENGLISH_STOP_WORDS) | _words(CONSULTATION_ENGLISH)
ALL = ITALIAN | ENGLISH
