"""The intervisie methods every trainer starts with: product content, not demo data."""

METHODS = [
    (
        "Incidentmethode",
        "Een kort, concreet voorval uit het werk van de inbrenger, stap voor stap onderzocht.",
        "De inbrenger vertelt kort een concreet incident uit het eigen werk.\n"
        "De groep stelt informatieve vragen: wat gebeurde er precies?\n"
        "De inbrenger formuleert de vraag: wat wil ik hiervan leren?\n"
        "Ieder lid zegt wat hij of zij zou doen in de situatie van de inbrenger.\n"
        "De inbrenger kiest wat bruikbaar is en zegt wat hij of zij anders gaat doen.\n"
        "Korte evaluatie: wat nemen we allemaal mee?",
    ),
    (
        "Roddelmethode",
        "De groep bespreekt de casus alsof de inbrenger er niet bij is; de inbrenger luistert.",
        "De inbrenger vertelt de casus en de vraag.\n"
        "De groep stelt verhelderende vragen.\n"
        "De inbrenger draait zich om en luistert alleen.\n"
        "De groep 'roddelt': wat zien we, wat valt op, wat zouden we doen?\n"
        "De inbrenger draait terug en vertelt wat raakte en wat bruikbaar is.\n"
        "Afronding: welke stap zet de inbrenger?",
    ),
    (
        "Balintmethode",
        "Aandacht voor gevoelens en de relatie: wat roept deze casus op bij de groep?",
        "De inbrenger vertelt vrij over een werkrelatie die hem of haar bezighoudt.\n"
        "De groep stelt alleen feitelijke vragen.\n"
        "De inbrenger luistert terwijl de groep vertelt welke gevoelens en beelden de casus "
        "oproept.\n"
        "De inbrenger reageert: wat herken ik, wat is nieuw?\n"
        "Samen: wat betekent dit voor de relatie en de volgende stap?",
    ),
    (
        "Socratisch gesprek",
        "Samen onderzoeken wat een begrip of oordeel eigenlijk inhoudt, vanuit één ervaring.",
        "De groep kiest een vraag, bijvoorbeeld: wanneer is iets rechtvaardig?\n"
        "Eén lid vertelt een concreet voorbeeld waarin die vraag speelde.\n"
        "De groep zoekt het kernmoment en het oordeel dat daar viel.\n"
        "Iedereen formuleert de regel achter dat oordeel.\n"
        "De groep zoekt een gedeeld antwoord en toetst het aan het voorbeeld.\n"
        "Terugblik: wat betekent dit voor ons handelen?",
    ),
    (
        "Vijf-stappenmethode",
        "Een overzichtelijke aanpak in vijf stappen, goed voor groepen die net beginnen.",
        "Inbreng: de inbrenger beschrijft de situatie en de vraag.\n"
        "Verheldering: de groep stelt vragen tot de situatie helder is.\n"
        "Analyse: wat speelt er, en wat is het eigen aandeel van de inbrenger?\n"
        "Adviezen: ieder lid geeft een concreet advies.\n"
        "Afronding: de inbrenger kiest een advies en benoemt de eerste stap.",
    ),
]


def ensure_default_methods(method_model) -> None:
    """Create the standard methods that are missing (the migration, with its historical
    model; the demo adds them through ``method_create``)."""
    for name, summary, steps in METHODS:
        method_model.objects.get_or_create(name=name, defaults={"summary": summary, "steps": steps})
