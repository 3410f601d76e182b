"""What the coaching demo tells: six trajectories at two coaches, and their free moments.

Only content lives here: who, when, and what was written (leervragen, goals, summaries,
notes). ``scenarios.py`` plays it through the services, which decide what follows from it:
a held intake makes a trajectory running, an ending cancels what is still planned.

A moment is ``(day, hour, minute)``: workdays from today, or for a story with
``from_cohort_start`` calendar days from the start of its cohort (moved off weekends).
"""

from __future__ import annotations

from dataclasses import dataclass

from coaching.models import CoachingSession, Trajectory
from portal.demo import (
    BEHEERDER_EMAIL,
    COACH_EMAIL,
    HR_NIJMEGEN_EMAIL,
    HR_UTRECHT_EMAIL,
    PARTICIPANT_EMAIL,
    SECOND_COACH_EMAIL,
)

Moment = tuple[int, int, int]
State = Trajectory.State
Status = CoachingSession.Status
PARTICIPANT, COACH = "participant", "coach"

# (leergang slug, cohort name) of the leergang demo's cohorts.
RUNNING_COHORT = ("omgevingsprofessional", "Open uitvoering Midden-Nederland")
FINISHED_COHORT = ("professionaliseren-van-de-beleidsfunctie", "Open uitvoering Utrecht")

KAMER_2_14 = "Academie, Utrecht – kamer 2.14"
KAMER_2_16 = "Academie, Utrecht – kamer 2.16"
NIJMEGEN = "Nijmegen, Huis van de Stad – spreekkamer 0.12"
ONLINE_JEROEN = "https://meet.example.org/coaching-jeroen-visser"
ONLINE_ANNEMIEK = "https://meet.example.org/coaching-annemiek-van-der-linden"

# Free moments of an hour that each coach offers: (workdays from today, hour, minute, place).
FREE_MOMENTS = {
    COACH_EMAIL: [
        (2, 9, 0, KAMER_2_14),
        (3, 11, 0, ONLINE_JEROEN),
        (6, 14, 0, KAMER_2_14),
        (8, 9, 30, ONLINE_JEROEN),
        (10, 13, 0, KAMER_2_14),
        (13, 15, 0, ONLINE_JEROEN),
    ],
    SECOND_COACH_EMAIL: [
        (1, 16, 0, ONLINE_ANNEMIEK),
        (4, 9, 0, NIJMEGEN),
        (5, 13, 30, KAMER_2_16),
        (9, 10, 0, ONLINE_ANNEMIEK),
        (11, 14, 0, NIJMEGEN),
        (14, 11, 0, ONLINE_ANNEMIEK),
    ],
}


@dataclass(frozen=True)
class Session:
    """One session. It is arranged half an hour after the previous one ended (the first
    half an hour after the start): ``booked`` from a moment the coach then offers, else
    planned by the coach. ``outcome`` is marked by the coach just after it ends."""

    at: Moment
    place: str
    minutes: int = 60
    booked: bool = False
    outcome: str = Status.PLANNED
    cancelled: Moment | None = None  # the participant cancelled it then
    preparation: str = ""
    summary: str = ""
    comment: str = ""
    note: str = ""


@dataclass(frozen=True)
class Goal:
    description: str
    # (moment, PARTICIPANT or COACH, progress, note)
    updates: tuple[tuple[Moment, str, int, str], ...] = ()


@dataclass(frozen=True)
class Story:
    """A trajectory from its start; the participant writes leervraag and goals at ``written``."""

    participant: str
    coach: str
    started_by: str
    started: Moment
    agreed_sessions: int
    cohort: tuple[str, str] | None = None
    from_cohort_start: bool = False
    written: Moment | None = None
    leervraag: str = ""
    goals: tuple[Goal, ...] = ()
    sessions: tuple[Session, ...] = ()
    ending: tuple[Moment, str, str] | None = None  # (moment, state, reason), by the coach


SANNE = Story(
    participant=PARTICIPANT_EMAIL,
    coach=COACH_EMAIL,
    started_by=BEHEERDER_EMAIL,
    started=(-24, 10, 15),
    agreed_sessions=6,
    cohort=RUNNING_COHORT,
    written=(-19, 20, 0),
    leervraag=(
        "Hoe kan ik in overleggen met ontwikkelaars, collega's en bestuurders sneller en "
        "duidelijker mijn standpunt innemen, ook als ik nog niet alles weet, zonder mijn "
        "zorgvuldigheid kwijt te raken?"
    ),
    goals=(
        Goal(
            "In overleg met ontwikkelaars en collega's zeg ik eerst wat de gemeente wél mogelijk "
            "vindt, en pas daarna wat de voorwaarden zijn.",
            (
                (
                    (-19, 20, 10),
                    PARTICIPANT,
                    20,
                    "Sinds de leergang gaat het beter, maar onder tijdsdruk val ik terug in "
                    "uitleg en voorbehouden.",
                ),
                (
                    (-11, 11, 20),
                    COACH,
                    40,
                    "In het rollenspel opende Sanne twee keer met haar standpunt. Nu in het echte "
                    "overleg proberen.",
                ),
                (
                    (-7, 17, 35),
                    PARTICIPANT,
                    55,
                    "Het overleg over de woningbouwlocatie geopend met wat er wél kan. Kort en "
                    "helder gesprek.",
                ),
            ),
        ),
        Goal(
            "Voordat ik aan een advies begin, vraag ik de bestuursadviseur wat er bestuurlijk "
            "speelt.",
            (
                (
                    (-11, 11, 25),
                    COACH,
                    30,
                    "Gesprek met de bestuursadviseur is gepland; we hebben besproken hoe ze het "
                    "opent.",
                ),
                (
                    (-6, 9, 5),
                    PARTICIPANT,
                    50,
                    "Twintig minuten gesproken over de huisvestingsverordening. Nu snap ik wat de "
                    "wethouder gevoelig vindt.",
                ),
            ),
        ),
        Goal(
            "Ik zeg vaker 'nee' of 'nu niet' tegen extra verzoeken, en leg kort uit waarom.",
            (
                (
                    (-19, 20, 15),
                    PARTICIPANT,
                    10,
                    "Ik merk dat ik bijna alles aanneem wat op mijn bureau komt.",
                ),
                (
                    (-11, 11, 30),
                    COACH,
                    20,
                    "Geoefend met drie verzoeken uit haar eigen week. 'Nu niet, wel na de "
                    "raadsvergadering' voelde haalbaar.",
                ),
            ),
        ),
    ),
    sessions=(
        Session(
            (-20, 13, 30),
            KAMER_2_14,
            minutes=90,
            outcome=Status.HELD,
            summary=(
                "Kennismaking en intake.\n\n"
                "Sanne werkt drie jaar als beleidsadviseur wonen bij de gemeente Utrecht en "
                "volgt de leergang Omgevingsprofessional. In overleggen met ontwikkelaars, "
                "collega's van andere afdelingen en bestuurders blijft ze lang doorvragen en "
                "maakt ze veel voorbehouden, terwijl de ander een duidelijk standpunt verwacht. "
                "Haar zorgvuldigheid is een kracht, maar kost haar soms invloed.\n\n"
                "Afspraken over de coaching: zes gesprekken van een uur, de intake meegerekend, "
                "ongeveer eens per twee weken, op de Academie of online. Wat we bespreken blijft "
                "tussen ons; deze samenvatting is voor ons beiden. Sanne schrijft vóór het "
                "volgende gesprek haar leervraag uit en kiest twee of drie doelen."
            ),
            note=(
                "Reflectief, goed voorbereid en erg kritisch op zichzelf. Begint een standpunt "
                "vaak met een verontschuldiging ('misschien zie ik het verkeerd, maar...'). "
                "Werkdruk speelt mee: ze leest 's avonds nog stukken. Niet zelf aansnijden, wel "
                "op letten. Volgende keer: rollenspel met een lastig overleg uit haar eigen agenda."
            ),
        ),
        Session(
            (-11, 10, 0),
            ONLINE_JEROEN,
            booked=True,
            outcome=Status.HELD,
            preparation=(
                "Volgende week heb ik overleg met de ontwikkelaar van de nieuwe "
                "woningbouwlocatie. Vorige keer ging het gesprek alle kanten op. Ik wil oefenen "
                "met de opening: wat zeg ik in de eerste vijf minuten?"
            ),
            summary=(
                "We hebben het overleg met de ontwikkelaar geoefend in een rollenspel; Jeroen "
                "speelde de ontwikkelaar. In de eerste ronde begon Sanne met de achtergrond en de "
                "voorwaarden, en na een paar minuten was ze het initiatief kwijt. In de tweede "
                "ronde opende ze met één zin: wat de gemeente op deze plek wél mogelijk vindt. "
                "Daarna ging het gesprek over de uitwerking in plaats van over de vraag óf het "
                "kan.\n\n"
                "Wat Sanne meeneemt: eerst het standpunt, dan de onderbouwing. Voorbehouden "
                "mogen, maar pas als de ander weet waar ze staat.\n\n"
                "Afspraken: Sanne schrijft haar openingszin vooraf op en gebruikt die in het "
                "overleg. Ze vraagt de bestuursadviseur om een kort gesprek voordat ze aan het "
                "volgende advies begint."
            ),
            comment=(
                "Het rollenspel was spannend, maar heel nuttig. Ik had niet door hoe vaak ik "
                "'misschien' zeg. Het overleg met de ontwikkelaar is inmiddels geweest: ik heb "
                "mijn openingszin gebruikt en we waren in een halfuur klaar."
            ),
            note=(
                "Rollenspel werkte goed: in de tweede ronde veel meer overtuigingskracht, ook in "
                "houding en stem. Ze relativeert haar succes meteen weg. Volgende keer het nee "
                "zeggen concreet maken; ze noemde drie verzoeken van haar teamleider die ze "
                "eigenlijk niet had willen aannemen."
            ),
        ),
        Session((-4, 14, 0), KAMER_2_14, cancelled=(-5, 16, 40)),
        Session(
            (4, 10, 0),
            KAMER_2_14,
            booked=True,
            preparation=(
                "Ik wil het hebben over nee zeggen. Mijn teamleider vroeg me om het dossier "
                "studentenhuisvesting erbij te nemen en ik zei meteen ja. Nu loopt mijn advies "
                "over de huisvestingsverordening vertraging op. Hoe bespreek ik dat alsnog met "
                "haar? Ik neem mijn weekplanning mee."
            ),
        ),
    ),
)

# Started by HR last week and paid by Gemeente Utrecht; the intake is planned.
ESTHER = Story(
    participant="esther.boersma@utrecht.example",
    coach=COACH_EMAIL,
    started_by=HR_UTRECHT_EMAIL,
    started=(-6, 11, 5),
    agreed_sessions=4,
    sessions=(Session((3, 15, 30), KAMER_2_14, minutes=90),),
)

# Four sessions during the finished Beleidsfunctie cohort, then completed.
ELINE = Story(
    participant="eline.vos@nijmegen.example",
    coach=COACH_EMAIL,
    started_by=BEHEERDER_EMAIL,
    started=(8, 14, 30),
    agreed_sessions=4,
    cohort=FINISHED_COHORT,
    from_cohort_start=True,
    written=(14, 19, 0),
    leervraag=(
        "Hoe breng ik mijn inhoudelijke zorgen op tijd en overtuigend in bij mijn "
        "teamleider en de wethouder, in plaats van in te stemmen en er achteraf mee te "
        "blijven zitten?"
    ),
    goals=(
        Goal(
            "Als ik het niet eens ben met een planning of besluit, zeg ik dat in hetzelfde "
            "overleg, met één concreet voorstel.",
            (
                (
                    (15, 9, 0),
                    PARTICIPANT,
                    10,
                    "Bij de nota vroegsignalering heb ik weer ingestemd terwijl ik twijfels had.",
                ),
                (
                    (42, 16, 20),
                    COACH,
                    45,
                    "Notitie aan de teamleider voorgelegd; het voorstel voor gesprekken met "
                    "ervaringsdeskundigen is overgenomen.",
                ),
                (
                    (98, 14, 30),
                    PARTICIPANT,
                    90,
                    "Het lukt me nu meestal in het overleg zelf. Bij de wethouder vind ik het nog "
                    "spannend.",
                ),
            ),
        ),
        Goal(
            "Ik bereid belangrijke overleggen voor met een notitie van één A4: wat we winnen, wat "
            "we overslaan en wat ik voorstel.",
            (
                ((42, 16, 25), COACH, 30, "Eerste notitie geschreven."),
                (
                    (72, 11, 0),
                    PARTICIPANT,
                    70,
                    "Twee keer gedaan; de tweede notitie ging rechtstreeks naar de wethouder.",
                ),
                (
                    (98, 14, 35),
                    PARTICIPANT,
                    100,
                    "Vaste gewoonte geworden; collega's gebruiken mijn opzet nu ook.",
                ),
            ),
        ),
    ),
    sessions=(
        Session(
            (14, 10, 0),
            KAMER_2_14,
            minutes=90,
            outcome=Status.HELD,
            summary=(
                "Kennismaking en intake.\n\n"
                "Eline is beleidsadviseur sociaal domein bij de gemeente Nijmegen en volgt de "
                "leergang Professionaliseren van de beleidsfunctie. Aanleiding voor de coaching: "
                "ze stemt in overleggen vaak in met een planning of aanpak waar ze inhoudelijk "
                "aan twijfelt, en blijft daar daarna mee zitten. Recent voorbeeld: de nota over "
                "vroegsignalering van schulden, die binnen zes weken naar de raad moet.\n\n"
                "Afspraken: vier gesprekken, de intake meegerekend, verspreid over de looptijd "
                "van de leergang. Eline werkt haar leervraag en doelen uit in het portaal."
            ),
            note=(
                "Loyaal en zorgvuldig; legt de oorzaak steeds bij zichzelf. Haar aarzeling lijkt "
                "samen te hangen met een vorige werkgever, waar kritiek niet gewaardeerd werd. "
                "Daar alleen op ingaan als zij erover begint."
            ),
        ),
        Session(
            (42, 15, 0),
            ONLINE_JEROEN,
            booked=True,
            outcome=Status.HELD,
            summary=(
                "We bespraken het gesprek met haar teamleider over de nota vroegsignalering. "
                "Eline had een notitie van één A4 gemaakt: wat de snelle route oplevert, wat die "
                "overslaat, en haar voorstel voor twee gesprekken met ervaringsdeskundigen. De "
                "teamleider nam het voorstel over. Eline was verrast hoe weinig weerstand er "
                "was.\n\n"
                "We verkenden waar haar aarzeling vandaan komt: ze wil loyaal zijn en ziet "
                "bezwaar maken als dwarsliggen. Afspraak: de komende weken let ze op momenten "
                "waarop ze 'ja' zegt en 'nee' bedoelt, en schrijft ze er twee op."
            ),
            note=(
                "Duidelijke stap gezet, maar ze maakt haar eigen succes klein. Volgende keer haar "
                "expliciet laten benoemen wat zíj anders deed."
            ),
        ),
        Session(
            (70, 9, 30),
            KAMER_2_14,
            booked=True,
            outcome=Status.HELD,
            preparation=(
                "Volgende maand is er bestuurlijk overleg over de nota. De wethouder wil "
                "versnellen; ik wil voorstellen om eerst de gesprekken met ervaringsdeskundigen "
                "af te ronden. Daar wil ik me samen op voorbereiden."
            ),
            summary=(
                "Voorbereiding op het bestuurlijk overleg met de wethouder. We oefenden de kern "
                "van haar boodschap in drie zinnen en bedachten welke vragen de wethouder kan "
                "stellen. Eline merkte dat ze rustiger wordt als ze vooraf weet waar haar grens "
                "ligt: de gesprekken met ervaringsdeskundigen moeten in de nota terugkomen, de "
                "datum mag schuiven.\n\n"
                "Afspraak: Eline stuurt haar notitie een week vooraf naar de bestuursadviseur."
            ),
            comment=(
                "Het overleg is goed gegaan. De wethouder vond de gesprekken met "
                "ervaringsdeskundigen juist een sterk punt richting de raad. De notitie vooraf "
                "heeft veel geholpen."
            ),
        ),
        Session(
            (98, 13, 0),
            ONLINE_JEROEN,
            booked=True,
            outcome=Status.HELD,
            summary=(
                "Laatste gesprek en evaluatie. We keken terug op haar leervraag en doelen. Eline "
                "zegt nu vaker in het overleg zelf wat ze ervan vindt, en haar notitie van één "
                "A4 is een vaste werkwijze geworden die ook collega's gebruiken. Bij bestuurders "
                "vindt ze het nog spannend, maar ze weet hoe ze zich voorbereidt.\n\n"
                "Wat ze meeneemt: bezwaar maken is geen dwarsliggen, maar bijdragen aan een "
                "beter besluit. Ze spreekt met haar teamleider af dat ze elk kwartaal samen "
                "terugkijken."
            ),
        ),
    ),
    ending=(
        (98, 17, 0),
        State.COMPLETED,
        "Vier gesprekken gehouden en het traject samen geëvalueerd.",
    ),
)

# Intake and one session held, the next one booked.
THIJS = Story(
    participant="thijs.verhoeven@nijmegen.example",
    coach=SECOND_COACH_EMAIL,
    started_by=BEHEERDER_EMAIL,
    started=(-22, 9, 40),
    agreed_sessions=5,
    cohort=RUNNING_COHORT,
    written=(-17, 20, 0),
    leervraag=(
        "Hoe blijf ik rustig en betrokken in gesprekken met boze of teleurgestelde inwoners, "
        "zonder me achter de regels te verschuilen en zonder toezeggingen te doen die ik "
        "niet kan waarmaken?"
    ),
    goals=(
        Goal(
            "In een lastig gesprek benoem ik eerst de zorg van de inwoner, en pas daarna de "
            "procedure.",
            (
                (
                    (-16, 8, 45),
                    PARTICIPANT,
                    20,
                    "Het terugbelgesprek met de bewoner over de uitbouw ging al rustiger.",
                ),
                (
                    (-7, 17, 20),
                    COACH,
                    45,
                    "Lukt aan de telefoon; bij gesprekken op locatie valt hij nog terug op uitleg.",
                ),
            ),
        ),
        Goal(
            "Ik merk op tijd dat een gesprek me te veel raakt, en las dan bewust een pauze in.",
            (
                (
                    (-7, 17, 22),
                    COACH,
                    25,
                    "Eerste signalen benoemd: sneller praten, en het woord 'rechtmatig'.",
                ),
            ),
        ),
    ),
    sessions=(
        Session(
            (-17, 9, 30),
            NIJMEGEN,
            minutes=90,
            outcome=Status.HELD,
            summary=(
                "Kennismaking en intake.\n\n"
                "Thijs is vergunningverlener bij de gemeente Nijmegen en volgt de leergang "
                "Omgevingsprofessional. Aanleiding: een reeks telefoongesprekken met een bewoner "
                "die boos was over de vergunning voor de uitbouw van zijn buren. Thijs merkte dat "
                "hij zich ging verdedigen met de regels en het gesprek kortaf beëindigde. Hij "
                "bracht dit ook al in bij zijn intervisiegroep.\n\n"
                "Afspraken: vijf gesprekken van een uur, de intake meegerekend, in Nijmegen of "
                "online. Thijs schrijft zijn leervraag en doelen uit in het portaal."
            ),
            note=(
                "Betrokken en eerlijk over zijn eigen aandeel. Reageert lichamelijk op kritiek: "
                "praat sneller, kruist de armen. Koppelt kritiek op een vergunning direct aan "
                "zijn eigen vakmanschap."
            ),
        ),
        Session(
            (-7, 16, 0),
            ONLINE_ANNEMIEK,
            booked=True,
            outcome=Status.HELD,
            summary=(
                "We keken naar het gesprek op locatie met de bewoner en een collega van bezwaar "
                "en beroep. Het begin ging goed: Thijs vroeg eerst naar de zorgen over schaduw "
                "en privacy. Toen de bewoner de gemeente partijdig noemde, schoot hij weer in de "
                "uitleg over de procedure. We speelden dat moment na en zochten een zin die "
                "erkent zonder toe te geven: 'Ik snap dat het zo voelt; laten we kijken wat er "
                "nog wél kan.'\n\n"
                "Afspraak: Thijs schrijft na elk lastig gesprek in twee zinnen op wat hij deed "
                "op het moment dat het spannend werd."
            ),
            comment=(
                "Die zin ga ik gebruiken. Ik merk wel dat het lastig is om hem te menen als "
                "iemand me persoonlijk aanvalt."
            ),
            note=(
                "Vooruitgang zichtbaar. Volgende keer oefenen met vertragen; misschien werken met "
                "een 'stoplicht' voor zijn eigen spanning."
            ),
        ),
        Session((6, 9, 0), NIJMEGEN, booked=True),
    ),
)

# Started by HR of Gemeente Nijmegen three days ago; nothing booked yet.
KARIN = Story(
    participant="karin.bosman@nijmegen.example",
    coach=SECOND_COACH_EMAIL,
    started_by=HR_NIJMEGEN_EMAIL,
    started=(-3, 9, 20),
    agreed_sessions=4,
    written=(-2, 19, 45),
    leervraag=(
        "Ik ben van functie gewisseld en word teamleider van het team duurzaamheid, waar ik "
        "zelf adviseur was. Hoe vind ik mijn rol als leidinggevende van mijn oud-collega's, "
        "en hoe houd ik tijd over voor de inhoud?"
    ),
)

# Two sessions held, one missed, then stopped: the ending cancels the session still planned.
KEES = Story(
    participant="kees.brouwer@odru.example",
    coach=SECOND_COACH_EMAIL,
    started_by=BEHEERDER_EMAIL,
    started=(-62, 13, 10),
    agreed_sessions=6,
    written=(-58, 19, 0),
    leervraag=(
        "Hoe kan ik bij controles duidelijk zijn over de regels en tegelijk de samenwerking "
        "met ondernemers goed houden?"
    ),
    goals=(
        Goal(
            "Ik sluit elk controlebezoek af met een heldere afspraak: wat de ondernemer doet, en "
            "wanneer ik terugkom.",
            (
                ((-57, 7, 50), PARTICIPANT, 10, ""),
                ((-48, 9, 45), COACH, 30, "Bij één van twee gelukt."),
            ),
        ),
    ),
    sessions=(
        Session(
            (-58, 8, 30),
            ONLINE_ANNEMIEK,
            minutes=90,
            outcome=Status.HELD,
            summary=(
                "Kennismaking en intake.\n\n"
                "Kees is toezichthouder milieu bij de Omgevingsdienst Regio Utrecht. Hij merkt "
                "dat controles bij ondernemers die hij al jaren kent soms te gemoedelijk worden, "
                "en dat het daarna lastig is om streng te zijn als het nodig is.\n\n"
                "Afspraken: zes gesprekken, de intake meegerekend, online op de vroege ochtend, "
                "zodat ze passen tussen zijn controles."
            ),
        ),
        Session(
            (-48, 8, 30),
            ONLINE_ANNEMIEK,
            booked=True,
            outcome=Status.HELD,
            summary=(
                "We bespraken twee controles van de afgelopen weken. Bij de eerste maakte Kees "
                "aan het eind een duidelijke afspraak met een termijn; bij de tweede liet hij het "
                "bij 'we houden contact'. We oefenden hoe hij het gesprek afsluit: samenvatten, "
                "de afspraak noemen en de datum van het hercontrole noemen.\n\n"
                "Afspraak: Kees probeert dit bij de komende drie controles."
            ),
            note=(
                "Weinig tijd en veel onrust door de reorganisatie; hij keek vaak op zijn telefoon."
            ),
        ),
        Session(
            (-38, 8, 30),
            ONLINE_ANNEMIEK,
            booked=True,
            outcome=Status.NO_SHOW,
            note=(
                "Niet verschenen en niet afgemeld. 's Middags belde hij terug: een spoedcontrole "
                "bij een bedrijf met een lekkende opslagtank. Hij twijfelt of hij nu tijd heeft "
                "voor coaching."
            ),
        ),
        Session((-30, 8, 30), ONLINE_ANNEMIEK),
    ),
    ending=(
        (-36, 11, 45),
        State.STOPPED,
        "Kees stopt op eigen verzoek. Door de reorganisatie bij de omgevingsdienst en veel "
        "spoedzaken heeft hij nu geen ruimte voor de gesprekken. Hij kan zich later opnieuw "
        "aanmelden via het programmabureau.",
    ),
)

STORIES = [SANNE, ESTHER, ELINE, THIJS, KARIN, KEES]
