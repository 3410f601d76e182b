"""What the intervisie demo says: the cases members bring (with the notes
and agreements of the session that discussed them) and a method the trainer added.

Content only; ``scenarios.py`` tells when it happened, through the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from intervisie.models import SessionAttendance
from portal.demo import PARTICIPANT_EMAIL

Present, Absent, Excused = (
    SessionAttendance.Status.PRESENT,
    SessionAttendance.Status.ABSENT,
    SessionAttendance.Status.EXCUSED,
)

# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    """A case a member brought to a session that was held, and what the session made of it."""

    bringer: str  # e-mail of the case bringer
    method: str
    title: str
    text: str
    notes: str
    agreements: str
    # e-mail -> (status, reason) for members who were not simply present; the excused ones
    # reported their absence before the session
    attendance: dict = field(default_factory=dict)


PERMIT_COMPLAINT = Case(
    bringer="thijs.verhoeven@nijmegen.example",
    method="Incidentmethode",
    title="Boze bewoner over de vergunning van de buren",
    text=(
        "Een bewoner belde mij drie keer in één week over de omgevingsvergunning voor de "
        "uitbouw van zijn buren. Hij vindt dat wij de vergunning 'zomaar' hebben verleend en dat "
        "niemand naar zijn bezwaren over schaduw en privacy heeft geluisterd. Bij het derde "
        "telefoontje werd hij persoonlijk: hij noemde mij partijdig en dreigde naar de krant te "
        "stappen. Ik heb hem toen vrij kortaf gewezen op de bezwaarprocedure en het gesprek "
        "beëindigd. Juridisch klopt de vergunning, maar ik zit ermee dat het gesprek zo is "
        "gelopen. Mijn vraag: hoe blijf ik in zo'n gesprek rustig en betrokken, zonder "
        "toezeggingen te doen die ik niet kan waarmaken?"
    ),
    notes=(
        "Thijs vertelde het incident: het derde telefoontje, waarin de bewoner hem partijdig "
        "noemde. In de vragenronde werd duidelijk dat de bewoner nooit persoonlijk is "
        "uitgenodigd en de tekeningen alleen online had gezien. Thijs merkte dat hij zich vooral "
        "verdedigde met de regels ('de vergunning is rechtmatig'), waardoor de bewoner zich nog "
        "minder gehoord voelde.\n\n"
        "Jasper herkende dit uit gesprekken over inpassingsplannen. Bram vertelde dat het "
        "waterschap bij klachten standaard een keukentafelgesprek aanbiedt. Sanne wees erop dat "
        "de bewoner eigenlijk twee dingen vraagt: erkenning van zijn zorg, en uitleg over wat er "
        "nog wél kan. Thijs kiest ervoor de bewoner terug te bellen en een gesprek op locatie "
        "voor te stellen."
    ),
    agreements=(
        "Thijs belt de bewoner deze week terug en biedt een gesprek op locatie aan, samen met "
        "een collega van bezwaar en beroep.\n"
        "Thijs begint dat gesprek bij de zorg van de bewoner (schaduw en privacy) en pas daarna "
        "bij de procedure.\n"
        "In de volgende intervisie vertelt Thijs kort hoe het gesprek is gegaan.\n"
        "Iedereen let de komende weken op één moment waarop hij of zij zich achter de regels "
        "verschuilt, en neemt dat mee naar de volgende keer."
    ),
    attendance={
        "priya.ramdin@odru.example": (
            Excused,
            "Zitting bij de rechtbank in een handhavingszaak; die datum lag al maanden vast.",
        ),
    },
)

MISSED_AGREEMENTS = Case(
    bringer="jasper.vandenberg@provincie-utrecht.example",
    method="Roddelmethode",
    title="Collega komt afspraken niet na",
    text=(
        "Samen met een collega schrijf ik de provinciale reactie op de omgevingsvisies van vier "
        "gemeenten. We hebben afgesproken dat zij de paragrafen over natuur en landschap "
        "aanlevert. Twee keer is haar deel te laat gekomen; de laatste keer moest ik op de "
        "ochtend van de deadline zelf stukken schrijven en heb ik een gemeente om uitstel moeten "
        "vragen. Ik heb er niets van gezegd, omdat ik haar verder graag mag en weet dat ze het "
        "druk heeft. Nu merk ik dat ik haar werk 'voor de zekerheid' alvast zelf ga doen, en dat "
        "ik me aan haar erger. Mijn vraag: hoe spreek ik haar aan zonder dat onze goede "
        "verhouding eronder lijdt?"
    ),
    notes=(
        "Jasper vertelde de casus. Daarna draaide hij zich om en luisterde, terwijl de groep "
        "'roddelde'. Wat de groep opviel: Jasper neemt het werk van zijn collega over voordat zij "
        "de kans krijgt het zelf op te lossen, en hij zegt niets terwijl hij zich ergert. Thijs "
        "vroeg zich af of de collega wel weet dat de deadlines zijn gemist. Priya: 'Door het "
        "stil op te lossen maak je het probleem onzichtbaar.' Sanne herkende het patroon uit "
        "haar eigen team en noemde de module Aanspreken en afspreken: benoem het gedrag, het "
        "effect en wat je nodig hebt.\n\n"
        "Jasper vertelde na het omdraaien dat het hem raakte dat zijn 'hulp' eigenlijk "
        "vermijden is. Hij wil het gesprek nog deze week voeren."
    ),
    agreements=(
        "Jasper plant deze week een gesprek van een halfuur met zijn collega, niet vlak voor "
        "een deadline.\n"
        "Hij benoemt concreet wat er gebeurde (twee keer te laat), wat het effect was en wat hij "
        "voortaan nodig heeft.\n"
        "Ze maken samen een planning met een tussenmoment een week voor elke deadline.\n"
        "Jasper neemt geen werk meer over zonder dat eerst met haar te bespreken.\n"
        "Sanne en Thijs voeren vóór de volgende intervisie ook zo'n gesprek en vertellen erover."
    ),
    attendance={
        "bram.hoekstra@rivierenland.example": (
            Excused,
            "Calamiteitenoefening hoogwater van het waterschap; ik ben daar piketfunctionaris.",
        ),
    },
)

PROVINCE_PROJECT = Case(
    bringer="noor.hendriks@utrecht.example",
    method="Vijf-stappenmethode",
    title="Samenwerking met de provincie over de oversteek loopt vast",
    text=(
        "Ik ben omgevingsmanager voor de herinrichting van een provinciale weg die dwars door "
        "een Utrechtse wijk loopt. Gemeente en provincie zijn samen opdrachtgever. Op de "
        "bewonersavond heb ik toegezegd dat er een veilige oversteek bij de basisschool komt. "
        "Twee weken later liet de provincie weten dat de oversteek niet in het budget past en "
        "dat het ontwerp al vastligt. De bewoners voelen zich bedrogen en spreken mij aan, want "
        "ik was degene die het beloofde. Binnen de gemeente zegt men dat het een provinciaal "
        "besluit is. Mijn vraag: hoe herstel ik het vertrouwen van de bewoners, en hoe voorkom "
        "ik dat ik iets toezeg wat niet met de provincie is afgestemd?"
    ),
    notes=(
        "Noor beschreef de situatie en haar vraag. In de verheldering bleek dat er geen vast "
        "overleg is tussen de projectleiders van gemeente en provincie: afstemming gaat per mail "
        "en via de wethouder. Merel legde uit hoe een budgetwijziging bij de provincie verloopt "
        "en wie daarover beslist.\n\n"
        "In de analyse zag de groep dat Noor de toezegging deed om de avond rustig te laten "
        "verlopen, en dat ze zich nu verantwoordelijk voelt voor een besluit dat niet het hare "
        "is. Adviezen: de bewoners eerlijk vertellen wat er is gebeurd (Kees), samen met de "
        "provinciale projectleider naar de bewoners gaan (Merel), en de oversteek als gedeeld "
        "probleem op de agenda van het bestuurlijk overleg zetten. Noor kiest voor het advies "
        "van Merel als eerste stap."
    ),
    agreements=(
        "Noor stelt de projectleider van de provincie een vast overleg voor, eens per twee "
        "weken.\n"
        "Noor en de provinciale projectleider schrijven samen een brief aan de bewoners: wat er "
        "is misgegaan met de oversteek en wat de volgende stap is.\n"
        "Merel zoekt uit wie bij de provincie over een budgetwijziging beslist en mailt Noor de "
        "naam vóór vrijdag.\n"
        "Noor doet op bewonersavonden geen toezeggingen meer die niet met beide opdrachtgevers "
        "zijn afgestemd; ze zegt dan: 'Ik zoek het uit en kom er voor vrijdag op terug.'"
    ),
    attendance={"anouk.peters@nijmegen.example": (Absent, "")},
)

QUICK_POLICY_MEMO = Case(
    bringer="eline.vos@nijmegen.example",
    method="Socratisch gesprek",
    title="Snelheid of zorgvuldigheid bij de nota vroegsignalering schulden",
    text=(
        "De wethouder wil binnen zes weken een nieuwe nota over vroegsignalering van schulden in "
        "de raad. Ik vind dat we eerst moeten praten met inwoners die schulden hebben of hebben "
        "gehad, maar daar is in de planning geen tijd voor. Mijn teamleider zegt: 'Doe het nu "
        "snel, participatie kan bij de uitvoering.' Ik heb ingestemd, maar ik voel me er "
        "ongemakkelijk bij. De vraag die ik met de groep wil onderzoeken: wanneer is een snel "
        "besluit verantwoord?"
    ),
    notes=(
        "De groep onderzocht de vraag 'Wanneer is een snel besluit verantwoord?' aan de hand van "
        "het voorbeeld van Eline. Het kernmoment was het gesprek met haar teamleider, waarin "
        "Eline instemde zonder haar bezwaar te noemen.\n\n"
        "De regels achter de oordelen die we vonden: 'Een snel besluit is verantwoord als je "
        "weet wat je overslaat en dat hardop zegt' (Joost) en 'als de mensen om wie het gaat "
        "later nog invloed hebben' (Sanne). Maarten wees erop dat de wethouder haar zorg "
        "misschien deelt als Eline die concreet maakt. Het gedeelde antwoord: snelheid is "
        "verantwoord als de afweging zichtbaar is voor wie beslist."
    ),
    agreements=(
        "Eline legt haar teamleider een korte notitie voor: wat de snelle route oplevert en wat "
        "die overslaat.\n"
        "Ze stelt voor om binnen de zes weken twee gesprekken met ervaringsdeskundigen te "
        "houden, via het maatschappelijk werk.\n"
        "Iedereen schrijft in zijn of haar leerlog één besluit op waarbij de afweging niet "
        "hardop is gemaakt."
    ),
)

WIND_EVENING = Case(
    bringer="joost.vandam@provincie-utrecht.example",
    method="Incidentmethode",
    title="Informatieavond over windmolens liep uit de hand",
    text=(
        "Op een informatieavond over een zoekgebied voor windmolens uit de Regionale "
        "Energiestrategie stond ik namens de provincie naast de wethouder van de gemeente. Na "
        "tien minuten werd de presentatie onderbroken: bewoners vonden dat alles al besloten "
        "was. Iemand riep dat de provincie 'van bovenaf' windmolens in hun achtertuin zet. Ik "
        "ben toen de kaarten en de geluidsnormen gaan uitleggen, waardoor de zaal nog bozer "
        "werd. De wethouder nam het over en beloofde een extra avond, zonder dat met mij af te "
        "stemmen. Mijn vraag: wat had ik op dat moment anders kunnen doen?"
    ),
    notes=(
        "Joost vertelde het incident stap voor stap. Uit de vragen bleek dat de gemeente de "
        "avond had georganiseerd en dat Joost en de wethouder vooraf niet hadden besproken wie "
        "wat zou zeggen. Op het moment van de interruptie koos Joost voor uitleg, terwijl de "
        "zaal vooral wilde weten of ze nog invloed had.\n\n"
        "Tom herkende dit uit avonden over dijkversterking: 'Eerst de vraag achter de boosheid, "
        "dan pas de kaart.' Sanne zou hebben gezegd wat er nog wél open ligt. Maarten stelde "
        "voor de rolverdeling met de wethouder voortaan vooraf vast te leggen. Joost neemt "
        "vooral mee dat hij onder druk naar de inhoud vlucht."
    ),
    agreements=(
        "Joost spreekt met de wethouder af hoe ze de extra avond samen voorbereiden: wie opent, "
        "wie vragen over het proces beantwoordt en wie vragen over de inhoud.\n"
        "Joost begint de extra avond met wat er nog open ligt en waarop bewoners invloed "
        "hebben.\n"
        "Tom stuurt Joost de opzet van de bewonersavonden van het waterschap.\n"
        "In de volgende intervisie vertelt Joost hoe de avond is gegaan."
    ),
    attendance={
        "iris.meijer@utrecht.example": (
            Excused,
            "Opening van de Museumnacht; ik was gevraagd de wethouder te begeleiden.",
        ),
    },
)

ADVICE_RETURNED = Case(
    bringer=PARTICIPANT_EMAIL,
    method="Vijf-stappenmethode",
    title="Mijn advies kwam terug van de wethouder",
    text=(
        "Ik heb een advies geschreven over het aanpassen van de huisvestingsverordening, zodat "
        "mensen met een zorgvraag sneller een woning krijgen. Het was inhoudelijk goed "
        "onderbouwd en mijn teamleider was tevreden. De wethouder stuurde het terug met één "
        "zin: 'Dit ligt politiek te gevoelig, graag een ander voorstel.' Ik weet niet precies "
        "wat er gevoelig is en voel me een beetje gepasseerd. Mijn vraag: hoe krijg ik beter "
        "zicht op wat er bestuurlijk speelt voordat ik een advies schrijf?"
    ),
    notes=(
        "Sanne beschreef haar situatie en haar vraag. In de verheldering bleek dat zij de "
        "wethouder nooit zelf spreekt: alles loopt via haar teamleider en de bestuursadviseur. "
        "In de analyse zag de groep dat het advies inhoudelijk klopte, maar geen rekening hield "
        "met de discussie in de raad over voorrang voor bepaalde groepen. Sannes eigen aandeel: "
        "ze heeft niet naar de politieke context gevraagd, omdat ze dacht dat dat niet haar rol "
        "was.\n\n"
        "Adviezen: neem vóór het schrijven contact op met de bestuursadviseur (Iris), lees de "
        "raadsvergaderingen over het onderwerp terug (Eline), en lever het advies aan in twee "
        "varianten met hun bestuurlijke gevolgen (Maarten). Joost en Tom raadden aan de "
        "wethouder zelf om een kort gesprek te vragen."
    ),
    agreements=(
        "Sanne vraagt de bestuursadviseur om een gesprek van twintig minuten over wat de "
        "wethouder gevoelig vindt.\n"
        "Ze werkt het advies uit in twee varianten, met per variant de bestuurlijke gevolgen.\n"
        "Voortaan vraagt ze bij elke adviesopdracht eerst: wat speelt er bestuurlijk, en wie "
        "moet ik daarover spreken?"
    ),
)


# A method the demo trainer added to the standard ones, and chose for the coming session.
TRAINER_METHOD = (
    "Reflecterend team",
    "De groep denkt hardop na terwijl de inbrenger luistert; daarna reageert de inbrenger.",
    "De inbrenger vertelt de situatie en wat hij of zij zou willen bereiken.\n"
    "De groep stelt open vragen, zonder advies te geven.\n"
    "De groep spreekt onderling over wat opvalt, als een reflecterend team; de inbrenger "
    "luistert.\n"
    "De inbrenger vertelt wat het gesprek van de groep bij hem of haar losmaakte.\n"
    "Samen: welke kleine stap zet de inbrenger de komende twee weken?",
)
