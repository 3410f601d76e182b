"""The leergang demo's prose: the catalogue (modules with their material, leergangen), the
invented participants, and what they write in their leerlog. No rules live here; the
scenarios in ``leergang.demo.scenarios`` tell who does what and when.
"""

from leergang.models import Material
from portal.demo import PARTICIPANT_EMAIL

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
# First name, last name, job title, department (afdeling, which HR filters its figures by).
PARTICIPANTS = {
    ("gemeente-utrecht", "utrecht.example"): [
        ("Daan", "Kramer", "Wijkadviseur", "Wijken"),
        ("Lotte", "Smit", "Projectleider participatie", "Wijken"),
        ("Yusuf", "Demir", "Beleidsmedewerker mobiliteit", "Ruimte en mobiliteit"),
        ("Ruben", "van Dijk", "Wijkregisseur", "Wijken"),
        ("Esther", "Boersma", "Gebiedsmanager", "Wijken"),
        ("Noor", "Hendriks", "Omgevingsmanager", "Ruimte en mobiliteit"),
        ("Hanneke", "de Groot", "Adviseur inkoop", "Bedrijfsvoering"),
        ("Fleur", "van Leeuwen", "Adviseur P&O", "Bedrijfsvoering"),
        ("Maarten", "de Wit", "Beleidsadviseur economie", "Economie en cultuur"),
        ("Iris", "Meijer", "Beleidsmedewerker cultuur", "Economie en cultuur"),
    ],
    ("gemeente-nijmegen", "nijmegen.example"): [
        ("Thijs", "Verhoeven", "Vergunningverlener", "Vergunningen"),
        ("Anouk", "Peters", "Accountmanager bedrijven", "Economie"),
        ("Mohamed", "Bouzid", "Inkoopadviseur", "Bedrijfsvoering"),
        ("Linda", "Willems", "Adviseur personeel en organisatie", "Bedrijfsvoering"),
        ("Samira", "Achahbar", "Informatiemanager", "Bedrijfsvoering"),
        ("Eline", "Vos", "Beleidsadviseur sociaal domein", "Sociaal domein"),
        ("Karin", "Bosman", "Beleidsadviseur duurzaamheid", "Sociaal domein"),
        ("Rachid", "El Idrissi", "Wijkmanager", "Sociaal domein"),
        ("Lars", "Timmermans", "Adviseur openbare ruimte", "Openbare ruimte"),
    ],
    ("provincie-utrecht", "provincie-utrecht.example"): [
        ("Jasper", "van den Berg", "Beleidsadviseur ruimtelijke ordening", "Fysieke leefomgeving"),
        ("Merel", "Dekker", "Beleidsmedewerker natuur en landschap", "Fysieke leefomgeving"),
        ("Ilse", "Koster", "Adviseur financiën", "Middelen"),
        ("Joost", "van Dam", "Beleidsadviseur energie", "Fysieke leefomgeving"),
        ("Femke", "Brink", "Adviseur leefbaarheid kleine kernen", "Fysieke leefomgeving"),
    ],
    ("waterschap-rivierenland", "rivierenland.example"): [
        ("Bram", "Hoekstra", "Adviseur vergunningen en watertoets", "Vergunningen"),
        ("Sophie", "Vermeulen", "Informatieadviseur", "Informatievoorziening"),
        ("Rik", "Mertens", "Financieel adviseur", "Financiën"),
        ("Tom", "Schouten", "Beleidsadviseur waterveiligheid", "Waterveiligheid"),
    ],
    ("omgevingsdienst-regio-utrecht", "odru.example"): [
        ("Kees", "Brouwer", "Toezichthouder milieu", "Toezicht"),
        ("Priya", "Ramdin", "Jurist omgevingsrecht", "Juridische zaken"),
        ("Gerrit", "Postma", "Controller", "Financiën"),
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


# Insights Discovery energies in percent: red, yellow, green, blue (summing to 100), filled
# in after the first bijeenkomst (the Insights module). Priya Ramdin has not filled in the
# questionnaire: the intervisie group suggestion treats her as neutral.
INSIGHTS = {
    PARTICIPANT_EMAIL: (10, 17, 40, 33),
    "noor.hendriks@utrecht.example": (22, 41, 25, 12),
    "thijs.verhoeven@nijmegen.example": (44, 18, 14, 24),
    "anouk.peters@nijmegen.example": (15, 20, 25, 40),
    "jasper.vandenberg@provincie-utrecht.example": (18, 12, 27, 43),
    "merel.dekker@provincie-utrecht.example": (12, 20, 45, 23),
    "bram.hoekstra@rivierenland.example": (20, 42, 22, 16),
    "kees.brouwer@odru.example": (46, 16, 12, 26),
    "maarten.dewit@utrecht.example": (38, 30, 12, 20),
    "eline.vos@nijmegen.example": (14, 26, 42, 18),
    "joost.vandam@provincie-utrecht.example": (24, 14, 20, 42),
    "iris.meijer@utrecht.example": (16, 48, 22, 14),
    "tom.schouten@rivierenland.example": (30, 10, 22, 38),
}
