"""Demo data of the leergang app, loaded by `python manage.py demo`.

The portal's demo command creates the organisations and one person per role first, then
calls ``load``. Running it again changes nothing:

- the catalogue (modules, material, leergangen) is updated in place, keyed on slugs and
  titles, so text edits here reach an existing demo database;
- cohorts, bijeenkomsten, enrolments, attendance and reflections are created once, keyed on
  their natural keys, and never touched again: a second run does not move dates or repeat
  state changes.

Enrolments are written directly with their audit rows (``EnrolmentTransition``) instead of
through the services, so the demo sends no e-mail. Every path follows ``TRANSITIONS``.
Dates are relative to the day of the first run, so a fresh demo always looks current.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.utils import timezone

from leergang.models import (
    TRANSITIONS,
    Attendance,
    Bijeenkomst,
    Cohort,
    Enrolment,
    EnrolmentTransition,
    Leergang,
    LeergangModule,
    Material,
    Module,
    Reflection,
)
from portal.models import Organisation, Role, User
from portal.services import user_set_roles

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEMO_PASSWORD = "leergang-demo"
TRAINER_EMAIL = "trainer@demo.example"
HR_UTRECHT_EMAIL = "hr@demo.example"
PARTICIPANT_EMAIL = "deelnemer@demo.example"

State = Enrolment.State
Present, Absent, Excused = (
    Attendance.Status.PRESENT,
    Attendance.Status.ABSENT,
    Attendance.Status.EXCUSED,
)

# --------------------------------------------------------------------------- catalogue

MODULES = [
    {
        "slug": "insights",
        "title": "Insights",
        "summary": "Ken je eigen kwaliteiten en voorkeursstijlen, en sluit beter aan op de ander.",
        "description": (
            "In deze module ontdek je hoe jij in je werk staat. Met het model van Insights "
            "Discovery kijk je naar vier kleurenergieën: rood (daadkrachtig en gericht op "
            "resultaat), geel (enthousiast en verbindend), groen (zorgzaam en geduldig) en "
            "blauw (precies en analytisch). Iedereen heeft alle vier de kleuren in zich, maar "
            "ieder in een eigen mix. Vooraf vul je een korte vragenlijst in. Op de bijeenkomst "
            "bespreek je je persoonlijke profiel met de trainer en de groep.\n\n"
            "We gebruiken de kleuren niet om mensen in een hokje te stoppen. Ze geven je een "
            "gedeelde taal om te bespreken wat jij nodig hebt, en wat een collega, inwoner of "
            "bestuurder nodig heeft. Zo zie je beter waarom een overleg soms stroef loopt, en "
            "wat jij kunt doen om wel aan te sluiten."
        ),
        "learning_goals": (
            "Je kent je eigen kleurvoorkeur en kunt die in je eigen woorden uitleggen.\n"
            "Je herkent de voorkeursstijl van anderen aan hun gedrag en taalgebruik.\n"
            "Je weet welke kwaliteiten van jou onder druk doorschieten, en wat dan helpt.\n"
            "Je past je manier van communiceren bewust aan op de ander."
        ),
        "reflection_assignment": (
            "Kies een gesprek van de afgelopen weken dat anders liep dan je wilde. Beschrijf "
            "kort wat er gebeurde. Welke kleurenergie zag je bij jezelf, en welke bij de ander? "
            "Wat had de ander van jou nodig? Schrijf op wat je in een volgend gesprek met deze "
            "persoon anders gaat doen. Probeer dat binnen twee weken uit en vertel in je "
            "leerlog hoe het ging."
        ),
        "materials": [
            (
                "De vier kleurenergieën in het kort",
                Material.Kind.TEXT,
                "Rood: daadkrachtig, direct en gericht op resultaat. Tip: kom snel ter zake en "
                "geef de ander een keuze.\n"
                "Geel: enthousiast, sociaal en vol ideeën. Tip: maak ruimte voor een persoonlijk "
                "gesprek en denk samen hardop.\n"
                "Groen: zorgzaam, geduldig en loyaal. Tip: neem de tijd, vraag door en zet "
                "niemand onder druk.\n"
                "Blauw: precies, analytisch en zorgvuldig. Tip: zorg voor feiten, structuur en "
                "tijd om na te denken.\n\n"
                "Iedereen heeft alle vier de energieën. Het gaat erom welke je het makkelijkst "
                "gebruikt, en welke je bewust kunt inzetten als de situatie daarom vraagt.",
            ),
            (
                "Vragenlijst Insights Discovery (vooraf invullen)",
                Material.Kind.LINK,
                "https://example.org/insights/vragenlijst",
            ),
        ],
    },
    {
        "slug": "terug-naar-de-bedoeling",
        "title": "Terug naar de bedoeling",
        "summary": (
            "Stuur en inspireer op de kern van de opgave: het onderscheid tussen systeem, "
            "gedrag en essentie."
        ),
        "description": (
            "Regels, procedures en systemen zijn er om de samenleving te dienen. In de praktijk "
            "gaat het systeem soms een eigen leven leiden: we volgen de procedure, ook als die "
            "de inwoner niet helpt. In deze module leer je kijken in drie lagen: het systeem "
            "(regels, formulieren, planning & control), het gedrag (wat mensen doen en waarom) "
            "en de essentie (waarvoor doen we dit eigenlijk?).\n\n"
            "Je werkt met een casus uit je eigen werk. Samen met de andere deelnemers zoek je "
            "naar de bedoeling achter de opdracht, en naar de ruimte die je hebt om daarnaar te "
            "handelen. Je oefent ook het gesprek met je leidinggevende of opdrachtgever: hoe "
            "leg je uit dat je van de gebaande weg afwijkt, en waarom dat juist goed is?"
        ),
        "learning_goals": (
            "Je maakt in je eigen werk onderscheid tussen systeem, gedrag en essentie.\n"
            "Je beschrijft de bedoeling van een opdracht in één of twee zinnen.\n"
            "Je ziet waar regels en procedures de bedoeling in de weg zitten.\n"
            "Je bespreekt met je opdrachtgever wanneer en hoe je van de procedure afwijkt."
        ),
        "reflection_assignment": (
            "Neem een opdracht waar je nu aan werkt. Beschrijf in drie korte alinea's: wat "
            "vraagt het systeem van je (regels, termijnen, formats)? Welk gedrag zie je bij "
            "jezelf en bij de betrokkenen? En wat is de echte bedoeling, gezien vanuit de "
            "inwoner of de samenleving? Sluit af met één concrete stap waarmee je deze week "
            "meer op de bedoeling stuurt."
        ),
        "materials": [
            (
                "Systeem, gedrag en essentie",
                Material.Kind.TEXT,
                "Systeem: de regels, procedures, formats en ICT die we met elkaar hebben "
                "afgesproken. Ze geven houvast, maar ze zijn een middel en geen doel.\n"
                "Gedrag: wat mensen doen, jijzelf ook, en waarom. Gedrag volgt vaak het systeem: "
                "we doen wat er gemeten wordt.\n"
                "Essentie: de bedoeling van het werk. Waarom bestaat deze taak? Wat heeft de "
                "inwoner of de samenleving eraan?\n\n"
                "Stel jezelf bij elke opdracht twee vragen: in welke laag zit het probleem, en "
                "in welke laag zit de oplossing?",
            ),
            (
                "Leestip: werken vanuit de bedoeling",
                Material.Kind.LINK,
                "https://example.org/leestips/werken-vanuit-de-bedoeling",
            ),
        ],
    },
    {
        "slug": "aanspreken-en-afspreken",
        "title": "Aanspreken & afspreken",
        "summary": (
            "Invloed uitoefenen in gelijkwaardige posities, heldere afspraken maken en scherp "
            "zijn op proces en positie."
        ),
        "description": (
            "Als publieke professional moet je vaak iets voor elkaar krijgen bij mensen over "
            "wie je niets te zeggen hebt: collega's van een andere afdeling, een ketenpartner, "
            "een ondernemer of een wethouder. Dan werkt de formele lijn niet. Wat wel werkt: "
            "heldere afspraken, en de moed om iemand daarop aan te spreken als het anders "
            "loopt.\n\n"
            "In deze module oefen je met gesprekken die je liever uitstelt. Een trainingsacteur "
            "speelt situaties uit jullie eigen praktijk na. Je leert het verschil tussen praten "
            "over de inhoud, over het proces en over ieders positie. En je krijgt eerlijke "
            "feedback op hoe je overkomt."
        ),
        "learning_goals": (
            "Je maakt afspraken die concreet en toetsbaar zijn: wie doet wat, en wanneer.\n"
            "Je spreekt een collega of partner op een respectvolle manier aan op een afspraak.\n"
            "Je schakelt in een gesprek bewust tussen inhoud, proces en positie.\n"
            "Je weet hoe je invloed hebt zonder formele macht."
        ),
        "reflection_assignment": (
            "Voer in de komende twee weken bewust één aanspreekgesprek: met een collega, "
            "ketenpartner of leidinggevende, over een afspraak die niet is nagekomen. Bereid "
            "het gesprek voor met de vier stappen uit het materiaal. Beschrijf daarna: hoe "
            "begon je het gesprek, hoe reageerde de ander, en welke nieuwe afspraak hebben "
            "jullie gemaakt? Wat vond je lastig, en wat ging beter dan je dacht?"
        ),
        "materials": [
            (
                "Vier stappen voor een aanspreekgesprek",
                Material.Kind.TEXT,
                "1. Benoem feitelijk wat je hebt gezien of gehoord, zonder oordeel.\n"
                "2. Vertel wat het effect is: op jou, op het werk of op de inwoner.\n"
                "3. Vraag naar de kant van de ander en luister echt.\n"
                "4. Maak samen een nieuwe afspraak: wie doet wat, en wanneer kijken jullie "
                "terug?",
            ),
            (
                "Checklist: een heldere afspraak",
                Material.Kind.TEXT,
                "Een goede afspraak is concreet (wat precies?), heeft een eigenaar (wie?), een "
                "datum (wanneer?) en een moment om terug te kijken. Zet afspraken na een "
                "overleg op papier en stuur ze dezelfde dag rond. Zo weet iedereen waar hij "
                "aan toe is, en kun je er later vriendelijk naar verwijzen.",
            ),
            (
                "Oefencasussen voor de bijeenkomst",
                Material.Kind.LINK,
                "https://example.org/aanspreken-afspreken/oefencasussen",
            ),
        ],
    },
    {
        "slug": "alliantiekunde",
        "title": "Alliantiekunde",
        "summary": (
            "Samenwerkingsrelaties bouwen op gedeelde waarden, over de grenzen van je "
            "organisatie heen."
        ),
        "description": (
            "Veel maatschappelijke opgaven los je niet alleen op: de energietransitie, een wijk "
            "die achteruitgaat, de aanpak van een druk verkeersknooppunt. Je werkt dan samen "
            "met partners die een eigen belang en een eigen achterban hebben. Contracten en "
            "convenanten helpen, maar een samenwerking houdt pas stand als de partners weten "
            "waarom ze het samen doen.\n\n"
            "Alliantiekunde is het vakmanschap om samenwerking in te richten op gedeelde "
            "waarden. Je leert een samenwerking te 'lezen': wat is de gezamenlijke ambitie, "
            "waar zitten de spanningen en wie heeft wat nodig om te blijven meedoen? Je brengt "
            "een samenwerking uit je eigen werk in kaart en bepaalt je volgende stap."
        ),
        "learning_goals": (
            "Je brengt de partners, belangen en waarden van een samenwerking in kaart.\n"
            "Je benoemt samen met de partners een gedeelde ambitie.\n"
            "Je herkent wanneer een samenwerking onder druk staat, en wat er dan nodig is.\n"
            "Je kiest bewust je eigen rol in een samenwerkingsverband."
        ),
        "reflection_assignment": (
            "Kies een samenwerking waar je nu in zit, binnen of buiten je organisatie. Teken de "
            "partners en hun belangen op één A4 met het werkblad samenwerkingskaart. Wat is de "
            "gedeelde waarde die jullie bindt, of zou moeten binden? Waar zit de spanning? "
            "Beschrijf welke stap jij de komende maand zet om de samenwerking te versterken."
        ),
        "materials": [
            (
                "Vijf vragen om een samenwerking te lezen",
                Material.Kind.TEXT,
                "1. Wat is de gezamenlijke ambitie, in één zin?\n"
                "2. Welke partners doen mee, en wie ontbreekt er nog?\n"
                "3. Wat is het belang van elke partner, en wie is zijn achterban?\n"
                "4. Welke waarde delen de partners, ook als hun belangen verschillen?\n"
                "5. Waar zit nu de spanning, en wat is er nodig om verder te komen?",
            ),
            (
                "Werkblad samenwerkingskaart",
                Material.Kind.LINK,
                "https://example.org/alliantiekunde/werkblad-samenwerkingskaart",
            ),
        ],
    },
    {
        "slug": "politiek-bestuurlijke-sensitiviteit",
        "title": "Politiek-bestuurlijke sensitiviteit",
        "summary": "Aanvoelen wat er bestuurlijk speelt, en je advies daar slim op afstemmen.",
        "description": (
            "Ambtenaren werken voor het bestuur: het college, de gedeputeerden of het dagelijks "
            "bestuur, en uiteindelijk de raad of de staten. Een goed advies is inhoudelijk "
            "sterk, maar landt ook op het goede moment en op de goede manier. Dat vraagt gevoel "
            "voor verhoudingen, timing en de publieke opinie, zonder dat je je eigen "
            "professionele oordeel opgeeft.\n\n"
            "In deze module kijk je samen met een ervaren oud-bestuurder naar het krachtenveld "
            "rond jouw dossier. Je oefent een kort adviesgesprek met een wethouder. En je "
            "bespreekt dilemma's: wat doe je als de politieke wens botst met wat je "
            "vakinhoudelijk verstandig vindt?"
        ),
        "learning_goals": (
            "Je brengt het politieke en bestuurlijke krachtenveld rond je dossier in kaart.\n"
            "Je kiest het goede moment en de goede vorm voor een advies aan het bestuur.\n"
            "Je geeft ook ongevraagd of onwelkom advies, helder en loyaal.\n"
            "Je kent de rollen van bestuurder, ambtenaar en volksvertegenwoordiger."
        ),
        "reflection_assignment": (
            "Beschrijf een moment waarop een advies van jou of je team bestuurlijk anders viel "
            "dan je verwachtte. Wat speelde er op dat moment in de raad, de pers of de "
            "samenleving? Welke signalen had je eerder kunnen zien? Schrijf op hoe je je "
            "volgende advies over dit onderwerp voorbereidt: met wie stem je af, en wanneer?"
        ),
        "materials": [
            (
                "Het krachtenveld in vier vragen",
                Material.Kind.TEXT,
                "1. Wie is bestuurlijk verantwoordelijk, en wat heeft hij of zij beloofd?\n"
                "2. Wat vinden de fracties, en welke moties of vragen liggen er?\n"
                "3. Hoe kijken inwoners, media en maatschappelijke partners naar het "
                "onderwerp?\n"
                "4. Wat is het goede moment voor je advies: welke besluiten en vergaderingen "
                "komen eraan?",
            ),
            (
                "Leestip: ambtelijk vakmanschap en loyaliteit",
                Material.Kind.LINK,
                "https://example.org/leestips/ambtelijk-vakmanschap",
            ),
        ],
    },
]

LEERGANGEN = [
    {
        "slug": "urban-professional",
        "title": "Urban Professional",
        "summary": (
            "Voor professionals die naar buiten werken: met de stad, de wijk en de inwoners."
        ),
        "description": (
            "De stad verandert snel. Inwoners, ondernemers en maatschappelijke organisaties "
            "willen meedenken en meedoen. Van de gemeente vraagt dat een andere houding: niet "
            "eerst binnen alles bedenken en het daarna buiten afstemmen, maar buiten beginnen. "
            "Wat speelt er echt in de wijk, en wie kan helpen om het op te lossen?\n\n"
            "In de leergang Urban Professional werk je aan je persoonlijke vakmanschap in die "
            "rol. Je leert jezelf beter kennen, je stuurt op de bedoeling in plaats van op de "
            "procedure en je bouwt samenwerkingen op met partners in de stad. Tussen de "
            "bijeenkomsten werk je in een intervisiegroep aan casussen uit je eigen praktijk."
        ),
        "target_group": (
            "Medewerkers van gemeenten die veel contact hebben met inwoners, ondernemers en "
            "partners in de stad: wijkadviseurs, gebiedsmanagers, projectleiders en "
            "beleidsadviseurs met een opgave in de wijk."
        ),
        "duration": "Vijf maanden, vier bijeenkomsten van een middag, met intervisie tussendoor",
        "modules": [
            "insights",
            "terug-naar-de-bedoeling",
            "aanspreken-en-afspreken",
            "alliantiekunde",
        ],
    },
    {
        "slug": "omgevingsprofessional",
        "title": "Omgevingsprofessional",
        "summary": (
            "Werken onder de Omgevingswet: samen met inwoners, bedrijven en andere overheden."
        ),
        "description": (
            "Met de Omgevingswet verandert niet alleen de regelgeving, maar vooral de manier "
            "van werken. Initiatiefnemers komen eerder aan tafel, participatie is "
            "vanzelfsprekend en gemeente, provincie, waterschap en omgevingsdienst werken als "
            "één overheid. Dat vraagt professionals die kunnen schakelen tussen belangen, die "
            "de ruimte in de wet durven te gebruiken en die weten wat er bestuurlijk speelt.\n\n"
            "In deze leergang werk je met collega's van verschillende overheden aan die "
            "vaardigheden. Juist door die mix leer je hoe de andere partijen naar een vraagstuk "
            "kijken. Je brengt casussen uit je eigen werk mee: een lastig vergunningtraject, "
            "een gebiedsproces of een initiatief dat vastloopt."
        ),
        "target_group": (
            "Vergunningverleners, toezichthouders, juristen, omgevingsmanagers en "
            "beleidsadviseurs van gemeenten, provincies, waterschappen en omgevingsdiensten "
            "die werken met de Omgevingswet."
        ),
        "duration": "Vier maanden, vijf bijeenkomsten van een middag",
        "modules": [
            "insights",
            "terug-naar-de-bedoeling",
            "alliantiekunde",
            "aanspreken-en-afspreken",
            "politiek-bestuurlijke-sensitiviteit",
        ],
    },
    {
        "slug": "businessprofessional",
        "title": "Businessprofessional",
        "summary": (
            "Voor de bedrijfsvoering: HR, financiën, informatievoorziening en inkoop als "
            "partner van de organisatie."
        ),
        "description": (
            "Medewerkers in de bedrijfsvoering zitten vaak in een spagaat. Ze moeten risico's "
            "beheersen en regels bewaken, en tegelijk willen collega's in het primaire proces "
            "snel en flexibel geholpen worden. Wie alleen 'nee, dat mag niet' zegt, wordt "
            "omzeild. Wie overal 'ja' op zegt, verliest grip.\n\n"
            "De leergang Businessprofessional helpt je om een sterke partner te zijn: iemand "
            "die de bedoeling achter een vraag ziet, heldere afspraken maakt en met andere "
            "afdelingen samenwerkt op basis van vertrouwen. Je werkt met deelnemers uit "
            "verschillende organisaties en vakgebieden, zodat je van elkaars aanpak leert."
        ),
        "target_group": (
            "Adviseurs en medewerkers in de bedrijfsvoering van overheden: HR en P&O, "
            "financiën en control, informatievoorziening en ICT, inkoop en aanbesteding."
        ),
        "duration": "Vier maanden, vier bijeenkomsten van een middag",
        "modules": [
            "insights",
            "aanspreken-en-afspreken",
            "terug-naar-de-bedoeling",
            "alliantiekunde",
        ],
    },
    {
        "slug": "professionaliseren-van-de-beleidsfunctie",
        "title": "Professionaliseren van de beleidsfunctie",
        "summary": "Voor beleidsadviseurs die architect willen zijn van hun eigen rol en positie.",
        "description": (
            "Beleidsadviseurs werken in een netwerk waarin formele grenzen vervagen. Buiten "
            "zijn ze procesregisseur en werken ze met inwoners en partners aan oplossingen op "
            "maat. Binnen zijn ze de inhoudelijke expert die beleidsnota's schrijft, "
            "raadsvragen beantwoordt en de portefeuillehouder adviseert. Die twee rollen "
            "combineren is niet altijd makkelijk.\n\n"
            "In deze leergang word je architect van je eigen rol. Je leert jezelf beter kennen "
            "en zet jezelf bewuster in. Je oefent met sturen op de bedoeling, met aanspreken "
            "en afspreken, met samenwerken in allianties en met gevoel voor bestuurlijke "
            "verhoudingen. Begeleide intervisie loopt als een rode draad door de leergang."
        ),
        "target_group": (
            "Beleidsadviseurs en beleidsmedewerkers van gemeenten, provincies en "
            "waterschappen, met minimaal twee jaar werkervaring."
        ),
        "duration": "Vijf maanden, vijf bijeenkomsten van een middag, met begeleide intervisie",
        "modules": [
            "insights",
            "terug-naar-de-bedoeling",
            "aanspreken-en-afspreken",
            "alliantiekunde",
            "politiek-bestuurlijke-sensitiviteit",
        ],
    },
]

# --------------------------------------------------------------------------- people

# Invented participants per organisation (slug, e-mail domain): first name, last name,
# job title. The address is voornaam.achternaam@domain.
PARTICIPANTS = {
    ("gemeente-utrecht", "utrecht.example"): [
        ("Daan", "Kramer", "Wijkadviseur"),
        ("Lotte", "Smit", "Projectleider participatie"),
        ("Yusuf", "Demir", "Beleidsmedewerker mobiliteit"),
        ("Ruben", "van Dijk", "Wijkregisseur"),
        ("Esther", "Boersma", "Gebiedsmanager"),
        ("Noor", "Hendriks", "Omgevingsmanager"),
        ("Hanneke", "de Groot", "Adviseur inkoop"),
        ("Fleur", "van Leeuwen", "Adviseur P&O"),
        ("Maarten", "de Wit", "Beleidsadviseur economie"),
        ("Iris", "Meijer", "Beleidsmedewerker cultuur"),
    ],
    ("gemeente-nijmegen", "nijmegen.example"): [
        ("Thijs", "Verhoeven", "Vergunningverlener"),
        ("Anouk", "Peters", "Accountmanager bedrijven"),
        ("Mohamed", "Bouzid", "Inkoopadviseur"),
        ("Linda", "Willems", "Adviseur personeel en organisatie"),
        ("Samira", "Achahbar", "Informatiemanager"),
        ("Eline", "Vos", "Beleidsadviseur sociaal domein"),
        ("Karin", "Bosman", "Beleidsadviseur duurzaamheid"),
        ("Rachid", "El Idrissi", "Wijkmanager"),
        ("Lars", "Timmermans", "Adviseur openbare ruimte"),
    ],
    ("provincie-utrecht", "provincie-utrecht.example"): [
        ("Jasper", "van den Berg", "Beleidsadviseur ruimtelijke ordening"),
        ("Merel", "Dekker", "Beleidsmedewerker natuur en landschap"),
        ("Ilse", "Koster", "Adviseur financiën"),
        ("Joost", "van Dam", "Beleidsadviseur energie"),
        ("Femke", "Brink", "Adviseur leefbaarheid kleine kernen"),
    ],
    ("waterschap-rivierenland", "rivierenland.example"): [
        ("Bram", "Hoekstra", "Adviseur vergunningen en watertoets"),
        ("Sophie", "Vermeulen", "Informatieadviseur"),
        ("Rik", "Mertens", "Financieel adviseur"),
        ("Tom", "Schouten", "Beleidsadviseur waterveiligheid"),
    ],
    ("omgevingsdienst-regio-utrecht", "odru.example"): [
        ("Kees", "Brouwer", "Toezichthouder milieu"),
        ("Priya", "Ramdin", "Jurist omgevingsrecht"),
        ("Gerrit", "Postma", "Controller"),
    ],
}

# --------------------------------------------------------------------------- leerlog

# Reflections of invented participants, three per module; they take turns.
REFLECTIONS = {
    "insights": [
        "Uit mijn profiel bleek dat ik veel blauw en groen heb. Dat herken ik: ik wil eerst "
        "alles goed uitzoeken voordat ik iets zeg. In het overleg met onze projectleider ging "
        "het daardoor mis, want hij wil snel een besluit. De volgende keer heb ik hem eerst "
        "mijn conclusie gegeven en daarna pas de onderbouwing. Dat werkte veel beter: we waren "
        "in tien minuten klaar.",
        "Ik ben vooral geel: ik krijg energie van nieuwe ideeën en van mensen. Mijn valkuil is "
        "dat ik beloftes doe die ik later niet waarmaak. Een collega met veel blauw raakte "
        "daardoor geïrriteerd. Ik heb met haar afgesproken dat ik na elk overleg de afspraken "
        "op papier zet. Zij helpt mij met de planning, ik help haar met de presentatie voor "
        "het team.",
        "Mijn rode energie helpt me om knopen door te hakken, maar onder druk word ik kortaf. "
        "In een gesprek met een ondernemer merkte ik dat hij dichtklapte. Achteraf zag ik veel "
        "groen bij hem: hij wilde eerst gehoord worden. Volgende keer begin ik met een open "
        "vraag en laat ik stiltes vallen, ook al voelt dat ongemakkelijk.",
    ],
    "terug-naar-de-bedoeling": [
        "Mijn casus is een aanvraag voor een mantelzorgwoning die drie maanden stil lag, omdat "
        "één formulier niet compleet was. Het systeem vroeg om een volledig dossier, maar de "
        "bedoeling is dat mensen voor elkaar kunnen zorgen. Ik heb de aanvrager gebeld en samen "
        "het ontbrekende stuk ingevuld. Ik wil met mijn teamleider bespreken of we standaard "
        "eerst kunnen bellen in plaats van een brief te sturen.",
        "Bij het maken van de jaarplanning merkte ik dat we vooral bezig zijn met het format "
        "van de P&C-cyclus en niet met de vraag wat we willen bereiken. In ons teamoverleg heb "
        "ik voorgesteld om per doel één zin te schrijven: waarom doen we dit? Dat gaf een goed "
        "gesprek. Twee projecten dragen weinig bij; daar gaan we minder tijd in steken.",
        "Het onderscheid tussen systeem, gedrag en essentie hielp me om te zien waarom een "
        "inspraakavond slecht liep. Het systeem (een vaste agenda met presentaties) zorgde "
        "ervoor dat inwoners alleen konden reageren. Hun gedrag was boos, maar de essentie was "
        "dat ze wilden meedenken. De volgende avond organiseren we aan tafels, met meer tijd "
        "voor vragen.",
    ],
    "aanspreken-en-afspreken": [
        "Ik heb een collega van een andere afdeling aangesproken op een advies dat steeds te "
        "laat kwam. Ik was zenuwachtig en begon met te veel uitleg. Toch ging het gesprek goed: "
        "zij vertelde dat haar afdeling onderbezet is. We hebben afgesproken dat ik mijn vragen "
        "eerder aankondig en dat zij laat weten als het niet lukt. Ik merk dat ik vaak te lang "
        "wacht met aanspreken.",
        "In de oefening met de acteur merkte ik dat ik snel de inhoud in schiet, terwijl het "
        "probleem in het proces zat: niemand wist wie het besluit moest nemen. In het echte "
        "overleg met de ketenpartners heb ik daarom eerst gevraagd wie waarover beslist. Dat "
        "gaf rust. De afspraak staat nu in het verslag, met namen en data.",
        "Ik vond het lastig om mijn leidinggevende aan te spreken op een afspraak over mijn "
        "ontwikkeltijd. Met de vier stappen heb ik het gesprek voorbereid. Ik heb feitelijk "
        "benoemd dat de afspraak drie keer was verschoven en wat dat met mij deed. Hij schrok "
        "ervan, en we hebben nu een vaste middag per maand gepland.",
    ],
    "alliantiekunde": [
        "Ik heb de samenwerking rond de nieuwe wijkaanpak in kaart gebracht: de gemeente, twee "
        "woningcorporaties, de huurdersvereniging en het welzijnswerk. Iedereen zegt dat het om "
        "de bewoners gaat, maar de belangen lopen uiteen. De gedeelde waarde is volgens mij 'een "
        "wijk waar je prettig oud wordt'. Ik stel voor om die ambitie in het volgende overleg "
        "samen op papier te zetten.",
        "De samenwerking met het waterschap en de provincie voelde als een verplicht nummer. "
        "Met de samenwerkingskaart zag ik dat we vooral praten over taken en geld, en nooit "
        "over waarom we dit gebied willen verbeteren. Ik heb de andere projectleiders "
        "uitgenodigd voor een wandeling door het gebied. Daar ontstond een veel opener "
        "gesprek.",
        "Ik merk dat ik in samenwerkingen vaak de rol van bewaker pak: ik let op de regels en "
        "de risico's. Dat is nodig, maar partners ervaren het als wantrouwen. Ik wil meer "
        "investeren in de relatie, bijvoorbeeld door eerst te vragen wat de ander nodig heeft "
        "en pas daarna de voorwaarden te noemen.",
    ],
    "politiek-bestuurlijke-sensitiviteit": [
        "Mijn advies over de parkeernormen werd door de wethouder teruggelegd, terwijl het "
        "inhoudelijk klopte. Achteraf zag ik dat er net een motie van de raad lag over "
        "betaalbaar bouwen. Dat signaal had ik kunnen zien. Voortaan bespreek ik een advies "
        "eerst kort met de bestuursadviseur, zodat ik weet wat er speelt.",
        "In de oefening met de oud-wethouder leerde ik dat een goed advies kort is en een "
        "duidelijke keuze voorlegt. Ik schrijf vaak lange notities met alle nuances. Mijn "
        "volgende collegevoorstel begin ik met een samenvatting van een halve pagina, met de "
        "risico's er eerlijk bij.",
        "Het dilemma tussen loyaliteit en vakmanschap herken ik sterk. Ik heb een keer een "
        "advies afgezwakt omdat ik wist dat de gedeputeerde iets anders wilde. Nu zie ik dat "
        "ik hem daarmee niet hielp. Ik wil mijn advies helder geven, en daarna loyaal "
        "uitvoeren wat het bestuur besluit.",
    ],
}

# The demo participant's own leerlog in the running Omgevingsprofessional cohort:
# (module slug, text, submitted, shared with the trainer).
DEMO_PARTICIPANT_REFLECTIONS = [
    (
        "insights",
        "Mijn profiel laat veel groen en blauw zien. Ik wil zorgvuldig zijn en iedereen horen. "
        "In het overleg over de nieuwe woningbouwlocatie merkte ik dat ik bleef doorvragen, "
        "terwijl de projectontwikkelaar een duidelijk antwoord wilde. Hij heeft veel rood. In "
        "het volgende overleg heb ik eerst gezegd wat wij als gemeente wél mogelijk vinden, en "
        "daarna pas de voorwaarden. Het gesprek werd korter en prettiger. Ik wil nog oefenen "
        "met sneller een standpunt innemen, ook als ik nog niet alles weet.",
        True,
        True,
    ),
    (
        "terug-naar-de-bedoeling",
        "Mijn casus: een bewonersinitiatief voor tijdelijke tiny houses liep vast, omdat het "
        "omgevingsplan het op die plek niet toestaat. Het systeem zegt 'nee', maar de bedoeling "
        "van ons woonbeleid is juist dat er meer betaalbare woonruimte komt. Onder de "
        "Omgevingswet hebben we meer ruimte. Met de jurist en een vergunningverlener van de "
        "omgevingsdienst heb ik gekeken naar een tijdelijke afwijking. We leggen dit voor aan "
        "de wethouder. Mijn les: eerst de bedoeling formuleren, dan pas de regels erbij "
        "pakken.",
        True,
        False,
    ),
    (
        "alliantiekunde",
        "Eerste aanzet. De samenwerking rond de woningbouwlocatie: gemeente, provincie, "
        "waterschap en twee ontwikkelaars. Gedeelde waarde misschien: 'wonen met ruimte voor "
        "water en groen'? Nog uitwerken: waar zit precies de spanning met het waterschap over "
        "de waterberging?",
        False,
        False,
    ),
]

# --------------------------------------------------------------------------- helpers


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def _workday(day: date) -> date:
    """Move a Saturday or Sunday to the Monday after."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _ensure_user(email, first_name, last_name, organisation, job_title) -> User:
    """Create a demo participant the way the portal's demo command creates its people."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            organisation=organisation,
            job_title=job_title,
        )
    user_set_roles(user=user, roles=set(user.roles) | {Role.DEELNEMER})
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    return user


def _load_catalogue() -> tuple[dict[str, Module], dict[str, Leergang]]:
    modules = {}
    for spec in MODULES:
        module, _ = Module.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                key: spec[key]
                for key in (
                    "title",
                    "summary",
                    "description",
                    "learning_goals",
                    "reflection_assignment",
                )
            },
        )
        for position, (title, kind, content) in enumerate(spec["materials"], start=1):
            Material.objects.update_or_create(
                module=module,
                title=title,
                defaults={
                    "kind": kind,
                    "text": content if kind == Material.Kind.TEXT else "",
                    "url": content if kind == Material.Kind.LINK else "",
                    "position": position,
                },
            )
        modules[module.slug] = module
    leergangen = {}
    for spec in LEERGANGEN:
        leergang, _ = Leergang.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                key: spec[key]
                for key in ("title", "summary", "description", "target_group", "duration")
            },
        )
        for position, slug in enumerate(spec["modules"], start=1):
            LeergangModule.objects.update_or_create(
                leergang=leergang, module=modules[slug], defaults={"position": position}
            )
        leergangen[leergang.slug] = leergang
    return modules, leergangen


class _CohortBuilder:
    """Creates one cohort with its bijeenkomsten, and enrolments with their history."""

    def __init__(
        self,
        *,
        leergang,
        name,
        start_in_days,
        day_offsets,
        seats,
        location,
        trainer,
        organisation=None,
        requires_approval=False,
        online=(),
    ):
        modules = [link.module for link in leergang.module_links.select_related("module")]
        if len(day_offsets) != len(modules):
            raise ValueError(f"{leergang}: one bijeenkomst per module")
        today = timezone.localdate()
        days = [_workday(today + timedelta(days=start_in_days + offset)) for offset in day_offsets]
        self.cohort, _ = Cohort.objects.get_or_create(
            leergang=leergang,
            name=name,
            defaults={
                "starts_on": days[0],
                "ends_on": days[-1],
                "seats": seats,
                "organisation": organisation,
                "requires_approval": requires_approval,
                "cancellation_deadline": days[0] - timedelta(days=14),
                "location": location,
            },
        )
        self.cohort.trainers.add(trainer)
        self.trainer = trainer
        self.bijeenkomsten = []
        for number, (module, day) in enumerate(zip(modules, days, strict=True), start=1):
            is_online = number in online
            bijeenkomst, _ = Bijeenkomst.objects.get_or_create(
                cohort=self.cohort,
                module=module,
                defaults={
                    "title": f"Bijeenkomst {number}: {module.title}",
                    "starts_at": _at(day, 13, 30),
                    "ends_at": _at(day, 17, 0),
                    "location": "Online" if is_online else location,
                    "online_url": (
                        f"https://meet.example.org/{leergang.slug}-{number}" if is_online else ""
                    ),
                },
            )
            self.bijeenkomsten.append(bijeenkomst)

    def start(self, days: int, hour: int, minute: int = 0) -> datetime:
        """A moment relative to the cohort's (stored) start day."""
        return _at(self.cohort.starts_on + timedelta(days=days), hour, minute)

    def enrol(self, participant, steps) -> Enrolment:
        """Create an enrolment that went through ``steps``: [(state, at, by, reason)], the
        first one REQUESTED. An existing enrolment is returned untouched."""
        enrolment = Enrolment.objects.filter(cohort=self.cohort, participant=participant).first()
        if enrolment is not None:
            return enrolment
        enrolment = Enrolment(
            cohort=self.cohort, participant=participant, state=steps[-1][0], created_at=steps[0][1]
        )
        previous = ""
        for state, at, _by, reason in steps:
            if (previous == "" and state != State.REQUESTED) or (
                previous and state not in TRANSITIONS[previous]
            ):
                raise ValueError(f"Demo enrolment cannot go from {previous!r} to {state!r}")
            enrolment.apply_state(state, at=at, reason=reason)
            previous = state
        enrolment.save()
        from_state = ""
        for state, at, by, reason in steps:
            EnrolmentTransition.objects.create(
                enrolment=enrolment,
                from_state=from_state,
                to_state=state,
                by=by,
                at=at,
                reason=reason,
            )
            from_state = state
        return enrolment

    def enrol_direct(self, participant, at: datetime, *then) -> Enrolment:
        """Enrolled straight away (no approval needed), optionally followed by more steps."""
        return self.enrol(
            participant,
            [
                (State.REQUESTED, at, participant, ""),
                (State.ENROLLED, at + timedelta(seconds=1), participant, ""),
                *then,
            ],
        )

    def attend(self, enrolment, number: int, status: str, reason: str = "") -> None:
        bijeenkomst = self.bijeenkomsten[number - 1]
        if status == Excused:
            by, at = enrolment.participant, bijeenkomst.starts_at - timedelta(days=2, hours=3)
        else:
            by, at = self.trainer, bijeenkomst.ends_at + timedelta(minutes=20)
        Attendance.objects.get_or_create(
            enrolment=enrolment,
            bijeenkomst=bijeenkomst,
            defaults={"status": status, "reason": reason, "recorded_by": by, "recorded_at": at},
        )

    def reflect(
        self, enrolment, number: int, text: str, *, submitted_at=None, shared_with_trainer=False
    ) -> None:
        Reflection.objects.get_or_create(
            enrolment=enrolment,
            module=self.bijeenkomsten[number - 1].module,
            defaults={
                "text": text,
                "submitted_at": submitted_at,
                "shared_with_trainer": shared_with_trainer,
            },
        )


def _reflection_text(module: Module, turn: int) -> str:
    texts = REFLECTIONS[module.slug]
    return texts[turn % len(texts)]


# --------------------------------------------------------------------------- cohorts


def _urban_op_maat_utrecht(leergang, people, *, trainer, hr, utrecht) -> _CohortBuilder:
    """Tailored for Gemeente Utrecht, starting in three weeks; two requests wait for HR."""
    c = _CohortBuilder(
        leergang=leergang,
        name="Op maat Gemeente Utrecht",
        start_in_days=21,
        day_offsets=[0, 21, 42, 70],
        seats=16,
        location="Utrecht, Stadskantoor",
        trainer=trainer,
        organisation=utrecht,
        requires_approval=True,
    )
    approved = [("daan.kramer", -48), ("lotte.smit", -44), ("yusuf.demir", -39)]
    for name, day in approved:
        person = people[f"{name}@utrecht.example"]
        c.enrol(
            person,
            [
                (State.REQUESTED, c.start(day, 10, 5), person, ""),
                (State.ENROLLED, c.start(day + 2, 9, 40), hr, ""),
            ],
        )
    for name, day, hour in [("ruben.vandijk", -26, 11), ("esther.boersma", -25, 16)]:
        person = people[f"{name}@utrecht.example"]
        c.enrol(person, [(State.REQUESTED, c.start(day, hour, 20), person, "")])
    return c


def _omgevingsprofessional_running(leergang, people, *, trainer, sanne) -> _CohortBuilder:
    """Open to all, started five weeks ago: three bijeenkomsten held, two to come."""
    c = _CohortBuilder(
        leergang=leergang,
        name="Open uitvoering Midden-Nederland",
        start_in_days=-35,
        day_offsets=[0, 14, 28, 63, 125],
        seats=14,
        location="Utrecht, Provinciehuis",
        trainer=trainer,
        online={5},
    )
    others = [
        "noor.hendriks@utrecht.example",
        "thijs.verhoeven@nijmegen.example",
        "anouk.peters@nijmegen.example",
        "jasper.vandenberg@provincie-utrecht.example",
        "merel.dekker@provincie-utrecht.example",
        "bram.hoekstra@rivierenland.example",
        "kees.brouwer@odru.example",
        "priya.ramdin@odru.example",
    ]
    enrolments = {sanne.email: c.enrol_direct(sanne, c.start(-58, 20, 12))}
    for turn, email in enumerate(others):
        enrolments[email] = c.enrol_direct(people[email], c.start(-56 + 3 * turn, 9 + turn, 15))

    # Attendance of the three bijeenkomsten held so far.
    exceptions = {
        (1, "kees.brouwer@odru.example"): (Absent, ""),
        (2, "thijs.verhoeven@nijmegen.example"): (
            Excused,
            "Hoorzitting van de bezwaarcommissie over een omgevingsvergunning; die kon niet "
            "worden verplaatst.",
        ),
        (3, "anouk.peters@nijmegen.example"): (Absent, ""),
    }
    for number in (1, 2, 3):
        for email, enrolment in enrolments.items():
            status, reason = exceptions.get((number, email), (Present, ""))
            c.attend(enrolment, number, status, reason)

    # The demo participant's own leerlog: two submitted (one shared), one draft.
    numbers = {b.module.slug: n for n, b in enumerate(c.bijeenkomsten, start=1)}
    for slug, text, submitted, shared in DEMO_PARTICIPANT_REFLECTIONS:
        number = numbers[slug]
        submitted_at = (
            c.bijeenkomsten[number - 1].ends_at + timedelta(days=3, hours=4) if submitted else None
        )
        c.reflect(
            enrolments[sanne.email],
            number,
            text,
            submitted_at=submitted_at,
            shared_with_trainer=shared,
        )
    # The others: who has written what so far.
    written = {
        1: [
            e
            for e in others
            if e not in {"kees.brouwer@odru.example", "bram.hoekstra@rivierenland.example"}
        ],
        2: [
            "noor.hendriks@utrecht.example",
            "jasper.vandenberg@provincie-utrecht.example",
            "merel.dekker@provincie-utrecht.example",
            "priya.ramdin@odru.example",
        ],
        3: ["noor.hendriks@utrecht.example"],
    }
    for number, emails in written.items():
        bijeenkomst = c.bijeenkomsten[number - 1]
        for turn, email in enumerate(emails):
            c.reflect(
                enrolments[email],
                number,
                _reflection_text(bijeenkomst.module, turn),
                submitted_at=bijeenkomst.ends_at + timedelta(days=1 + turn % 4, hours=3),
                shared_with_trainer=email == "noor.hendriks@utrecht.example" and number == 1,
            )
    return c


def _businessprofessional_full(leergang, people, *, trainer) -> _CohortBuilder:
    """Open to all, starting in six weeks, every seat taken and a waiting list."""
    c = _CohortBuilder(
        leergang=leergang,
        name="Open uitvoering Bedrijfsvoering",
        start_in_days=42,
        day_offsets=[0, 21, 42, 70],
        seats=6,
        location="Nijmegen, Huis van de Stad",
        trainer=trainer,
        online={3},
    )
    enrolled = [
        "ilse.koster@provincie-utrecht.example",
        "mohamed.bouzid@nijmegen.example",
        "linda.willems@nijmegen.example",
        "sophie.vermeulen@rivierenland.example",
        "gerrit.postma@odru.example",
        "hanneke.degroot@utrecht.example",
    ]
    for turn, email in enumerate(enrolled):
        c.enrol_direct(people[email], c.start(-90 + 4 * turn, 10 + turn, 30))
    waiting = [
        ("fleur.vanleeuwen@utrecht.example", -60),
        ("rik.mertens@rivierenland.example", -52),
        ("samira.achahbar@nijmegen.example", -47),
    ]
    for email, day in waiting:
        person = people[email]
        at = c.start(day, 14, 45)
        c.enrol(
            person,
            [
                (State.REQUESTED, at, person, ""),
                (State.WAITLISTED, at + timedelta(seconds=1), person, ""),
            ],
        )
    return c


def _beleidsfunctie_finished(leergang, people, *, trainer, sanne) -> _CohortBuilder:
    """Open to all, ended two months ago: certificates for all but one who cancelled."""
    c = _CohortBuilder(
        leergang=leergang,
        name="Open uitvoering Utrecht",
        start_in_days=-200,
        day_offsets=[0, 35, 70, 105, 140],
        seats=12,
        location="Utrecht, Stadskantoor",
        trainer=trainer,
    )
    last = c.bijeenkomsten[-1]
    finishers = [
        sanne,
        people["maarten.dewit@utrecht.example"],
        people["eline.vos@nijmegen.example"],
        people["joost.vandam@provincie-utrecht.example"],
        people["iris.meijer@utrecht.example"],
        people["tom.schouten@rivierenland.example"],
    ]
    for turn, person in enumerate(finishers):
        # The last reflection completes the leergang (as enrolment_check_completion does).
        completed_at = last.ends_at + timedelta(days=2 + turn, hours=2 + turn)
        enrolment = c.enrol_direct(
            person,
            c.start(-70 + 5 * turn, 9 + turn, 10),
            (State.COMPLETED, completed_at, None, ""),
        )
        for number, bijeenkomst in enumerate(c.bijeenkomsten, start=1):
            c.attend(enrolment, number, Present)
            is_last = number == len(c.bijeenkomsten)
            c.reflect(
                enrolment,
                number,
                _reflection_text(bijeenkomst.module, turn),
                submitted_at=completed_at
                if is_last
                else bijeenkomst.ends_at + timedelta(days=2 + turn % 3, hours=4),
                shared_with_trainer=turn % 2 == 1,
            )
    karin = people["karin.bosman@nijmegen.example"]
    c.enrol_direct(
        karin,
        c.start(-62, 11, 0),
        (
            State.CANCELLED,
            c.start(-16, 8, 50),
            karin,
            "Ik ben van functie gewisseld en kan de bijeenkomsten niet combineren met mijn "
            "nieuwe werk. Misschien schrijf ik me volgend jaar opnieuw in.",
        ),
    )
    return c


def _urban_open_nijmegen(leergang, people, *, trainer) -> _CohortBuilder:
    """Open to all, starting in two months, with free seats."""
    c = _CohortBuilder(
        leergang=leergang,
        name="Open uitvoering Nijmegen",
        start_in_days=60,
        day_offsets=[0, 21, 42, 70],
        seats=16,
        location="Nijmegen, Huis van de Stad",
        trainer=trainer,
    )
    early = [
        ("rachid.elidrissi@nijmegen.example", -75),
        ("femke.brink@provincie-utrecht.example", -70),
        ("lars.timmermans@nijmegen.example", -66),
    ]
    for email, day in early:
        c.enrol_direct(people[email], c.start(day, 15, 5))
    return c


# --------------------------------------------------------------------------- entry point


def load(*, command) -> None:
    """Create (once) the leergang demo data; called by `python manage.py demo`."""
    organisations = {o.slug: o for o in Organisation.objects.all()}
    trainer = User.objects.get(email=TRAINER_EMAIL)
    hr = User.objects.get(email=HR_UTRECHT_EMAIL)
    sanne = User.objects.get(email=PARTICIPANT_EMAIL)
    people = {}
    for (slug, domain), rows in PARTICIPANTS.items():
        for first, last, job in rows:
            email = f"{first}.{last.replace(' ', '')}@{domain}".lower()
            people[email] = _ensure_user(email, first, last, organisations[slug], job)

    _modules, leergangen = _load_catalogue()
    _urban_op_maat_utrecht(
        leergangen["urban-professional"],
        people,
        trainer=trainer,
        hr=hr,
        utrecht=organisations["gemeente-utrecht"],
    )
    _omgevingsprofessional_running(
        leergangen["omgevingsprofessional"], people, trainer=trainer, sanne=sanne
    )
    _businessprofessional_full(leergangen["businessprofessional"], people, trainer=trainer)
    _beleidsfunctie_finished(
        leergangen["professionaliseren-van-de-beleidsfunctie"], people, trainer=trainer, sanne=sanne
    )
    _urban_open_nijmegen(leergangen["urban-professional"], people, trainer=trainer)

    command.stdout.write(
        f"Leergangen: {Module.objects.count()} modules, {Leergang.objects.count()} leergangen, "
        f"{Cohort.objects.count()} uitvoeringen, {Bijeenkomst.objects.count()} bijeenkomsten, "
        f"{Enrolment.objects.count()} inschrijvingen ({len(people)} extra deelnemers "
        f"met wachtwoord {DEMO_PASSWORD})."
    )
