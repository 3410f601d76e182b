"""The prose of the coaching demo: what participants and coaches wrote.

Leervragen, goals, progress notes, preparations, shared summaries, the coach's private
notes and why a trajectory ended, keyed by the participant (and the session or goal
number, from 1, in ``scenarios.TIMELINES``). When things happened lives in ``scenarios``.
"""

from portal.demo import PARTICIPANT_EMAIL

# The participants, from the leergang demo.
SANNE = PARTICIPANT_EMAIL
ESTHER = "esther.boersma@utrecht.example"
ELINE = "eline.vos@nijmegen.example"
THIJS = "thijs.verhoeven@nijmegen.example"
KARIN = "karin.bosman@nijmegen.example"
KEES = "kees.brouwer@odru.example"

# What each participant wants to learn, in their own words.
LEERVRAGEN = {
    SANNE: (
        "Hoe kan ik in overleggen met ontwikkelaars, collega's en bestuurders sneller en "
        "duidelijker mijn standpunt innemen, ook als ik nog niet alles weet, zonder mijn "
        "zorgvuldigheid kwijt te raken?"
    ),
    ELINE: (
        "Hoe breng ik mijn inhoudelijke zorgen op tijd en overtuigend in bij mijn teamleider en de "
        "wethouder, in plaats van in te stemmen en er achteraf mee te blijven zitten?"
    ),
    THIJS: (
        "Hoe blijf ik rustig en betrokken in gesprekken met boze of teleurgestelde inwoners, "
        "zonder me achter de regels te verschuilen en zonder toezeggingen te doen die ik niet kan "
        "waarmaken?"
    ),
    KARIN: (
        "Ik ben van functie gewisseld en word teamleider van het team duurzaamheid, waar ik zelf "
        "adviseur was. Hoe vind ik mijn rol als leidinggevende van mijn oud-collega's, en hoe houd "
        "ik tijd over voor de inhoud?"
    ),
    KEES: (
        "Hoe kan ik bij controles duidelijk zijn over de regels en tegelijk de samenwerking met "
        "ondernemers goed houden?"
    ),
}

# The goals each participant sets, in order (numbered from 1 in the timelines).
GOALS = {
    SANNE: [
        (
            "In overleg met ontwikkelaars en collega's zeg ik eerst wat de gemeente wél mogelijk "
            "vindt, en pas daarna wat de voorwaarden zijn."
        ),
        (
            "Voordat ik aan een advies begin, vraag ik de bestuursadviseur wat er bestuurlijk "
            "speelt."
        ),
        "Ik zeg vaker 'nee' of 'nu niet' tegen extra verzoeken, en leg kort uit waarom.",
    ],
    ELINE: [
        (
            "Als ik het niet eens ben met een planning of besluit, zeg ik dat in hetzelfde "
            "overleg, met één concreet voorstel."
        ),
        (
            "Ik bereid belangrijke overleggen voor met een notitie van één A4: wat we winnen, wat "
            "we overslaan en wat ik voorstel."
        ),
    ],
    THIJS: [
        (
            "In een lastig gesprek benoem ik eerst de zorg van de inwoner, en pas daarna de "
            "procedure."
        ),
        "Ik merk op tijd dat een gesprek me te veel raakt, en las dan bewust een pauze in.",
    ],
    KEES: [
        (
            "Ik sluit elk controlebezoek af met een heldere afspraak: wat de ondernemer doet, en "
            "wanneer ik terugkom."
        ),
    ],
}

# What was written with a goal's progress: (participant, goal, progress %).
PROGRESS_NOTES = {
    (SANNE, 1, 20): (
        "Sinds de leergang gaat het beter, maar onder tijdsdruk val ik terug in uitleg en "
        "voorbehouden."
    ),
    (SANNE, 1, 40): (
        "In het rollenspel opende Sanne twee keer met haar standpunt. Nu in het echte overleg "
        "proberen."
    ),
    (
        SANNE,
        1,
        55,
    ): "Het overleg over de woningbouwlocatie geopend met wat er wél kan. Kort en helder gesprek.",
    (
        SANNE,
        2,
        30,
    ): "Gesprek met de bestuursadviseur is gepland; we hebben besproken hoe ze het opent.",
    (SANNE, 2, 50): (
        "Twintig minuten gesproken over de huisvestingsverordening. Nu snap ik wat de wethouder "
        "gevoelig vindt."
    ),
    (SANNE, 3, 10): "Ik merk dat ik bijna alles aanneem wat op mijn bureau komt.",
    (SANNE, 3, 20): (
        "Geoefend met drie verzoeken uit haar eigen week. 'Nu niet, wel na de raadsvergadering' "
        "voelde haalbaar."
    ),
    (ELINE, 1, 10): "Bij de nota vroegsignalering heb ik weer ingestemd terwijl ik twijfels had.",
    (ELINE, 1, 45): (
        "Notitie aan de teamleider voorgelegd; het voorstel voor gesprekken met "
        "ervaringsdeskundigen is overgenomen."
    ),
    (
        ELINE,
        1,
        90,
    ): "Het lukt me nu meestal in het overleg zelf. Bij de wethouder vind ik het nog spannend.",
    (ELINE, 2, 30): "Eerste notitie geschreven.",
    (ELINE, 2, 70): "Twee keer gedaan; de tweede notitie ging rechtstreeks naar de wethouder.",
    (ELINE, 2, 100): "Vaste gewoonte geworden; collega's gebruiken mijn opzet nu ook.",
    (THIJS, 1, 20): "Het terugbelgesprek met de bewoner over de uitbouw ging al rustiger.",
    (THIJS, 1, 45): "Lukt aan de telefoon; bij gesprekken op locatie valt hij nog terug op uitleg.",
    (THIJS, 2, 25): "Eerste signalen benoemd: sneller praten, en het woord 'rechtmatig'.",
    (KEES, 1, 30): "Bij één van twee gelukt.",
}

# What the participant prepared: (participant, session number from 1).
PREPARATIONS = {
    (SANNE, 2): (
        "Volgende week heb ik overleg met de ontwikkelaar van de nieuwe woningbouwlocatie. Vorige "
        "keer ging het gesprek alle kanten op. Ik wil oefenen met de opening: wat zeg ik in de "
        "eerste vijf minuten?"
    ),
    (SANNE, 4): (
        "Ik wil het hebben over nee zeggen. Mijn teamleider vroeg me om het dossier "
        "studentenhuisvesting erbij te nemen en ik zei meteen ja. Nu loopt mijn advies over de "
        "huisvestingsverordening vertraging op. Hoe bespreek ik dat alsnog met haar? Ik neem mijn "
        "weekplanning mee."
    ),
    (ELINE, 3): (
        "Volgende maand is er bestuurlijk overleg over de nota. De wethouder wil versnellen; ik "
        "wil voorstellen om eerst de gesprekken met ervaringsdeskundigen af te ronden. Daar wil ik "
        "me samen op voorbereiden."
    ),
}

# The coach's summary, shared with the participant: (participant, session).
SUMMARIES = {
    (SANNE, 1): (
        "Kennismaking en intake.\n\n"
        "Sanne werkt drie jaar als beleidsadviseur wonen bij de gemeente Utrecht en volgt de "
        "leergang Omgevingsprofessional. In overleggen met ontwikkelaars, collega's van andere "
        "afdelingen en bestuurders blijft ze lang doorvragen en maakt ze veel voorbehouden, "
        "terwijl de ander een duidelijk standpunt verwacht. Haar zorgvuldigheid is een kracht, "
        "maar kost haar soms invloed.\n\n"
        "Afspraken over de coaching: zes gesprekken van een uur, de intake meegerekend, ongeveer "
        "eens per twee weken, op de Academie of online. Wat we bespreken blijft tussen ons; deze "
        "samenvatting is voor ons beiden. Sanne schrijft vóór het volgende gesprek haar leervraag "
        "uit en kiest twee of drie doelen."
    ),
    (SANNE, 2): (
        "We hebben het overleg met de ontwikkelaar geoefend in een rollenspel; Jeroen speelde de "
        "ontwikkelaar. In de eerste ronde begon Sanne met de achtergrond en de voorwaarden, en na "
        "een paar minuten was ze het initiatief kwijt. In de tweede ronde opende ze met één zin: "
        "wat de gemeente op deze plek wél mogelijk vindt. Daarna ging het gesprek over de "
        "uitwerking in plaats van over de vraag óf het kan.\n\n"
        "Wat Sanne meeneemt: eerst het standpunt, dan de onderbouwing. Voorbehouden mogen, maar "
        "pas als de ander weet waar ze staat.\n\n"
        "Afspraken: Sanne schrijft haar openingszin vooraf op en gebruikt die in het overleg. Ze "
        "vraagt de bestuursadviseur om een kort gesprek voordat ze aan het volgende advies begint."
    ),
    (ELINE, 1): (
        "Kennismaking en intake.\n\n"
        "Eline is beleidsadviseur sociaal domein bij de gemeente Nijmegen en volgt de leergang "
        "Professionaliseren van de beleidsfunctie. Aanleiding voor de coaching: ze stemt in "
        "overleggen vaak in met een planning of aanpak waar ze inhoudelijk aan twijfelt, en blijft "
        "daar daarna mee zitten. Recent voorbeeld: de nota over vroegsignalering van schulden, die "
        "binnen zes weken naar de raad moet.\n\n"
        "Afspraken: vier gesprekken, de intake meegerekend, verspreid over de looptijd van de "
        "leergang. Eline werkt haar leervraag en doelen uit in het portaal."
    ),
    (ELINE, 2): (
        "We bespraken het gesprek met haar teamleider over de nota vroegsignalering. Eline had een "
        "notitie van één A4 gemaakt: wat de snelle route oplevert, wat die overslaat, en haar "
        "voorstel voor twee gesprekken met ervaringsdeskundigen. De teamleider nam het voorstel "
        "over. Eline was verrast hoe weinig weerstand er was.\n\n"
        "We verkenden waar haar aarzeling vandaan komt: ze wil loyaal zijn en ziet bezwaar maken "
        "als dwarsliggen. Afspraak: de komende weken let ze op momenten waarop ze 'ja' zegt en "
        "'nee' bedoelt, en schrijft ze er twee op."
    ),
    (ELINE, 3): (
        "Voorbereiding op het bestuurlijk overleg met de wethouder. We oefenden de kern van haar "
        "boodschap in drie zinnen en bedachten welke vragen de wethouder kan stellen. Eline merkte "
        "dat ze rustiger wordt als ze vooraf weet waar haar grens ligt: de gesprekken met "
        "ervaringsdeskundigen moeten in de nota terugkomen, de datum mag schuiven.\n\n"
        "Afspraak: Eline stuurt haar notitie een week vooraf naar de bestuursadviseur."
    ),
    (ELINE, 4): (
        "Laatste gesprek en evaluatie. We keken terug op haar leervraag en doelen. Eline zegt nu "
        "vaker in het overleg zelf wat ze ervan vindt, en haar notitie van één A4 is een vaste "
        "werkwijze geworden die ook collega's gebruiken. Bij bestuurders vindt ze het nog "
        "spannend, maar ze weet hoe ze zich voorbereidt.\n\n"
        "Wat ze meeneemt: bezwaar maken is geen dwarsliggen, maar bijdragen aan een beter besluit. "
        "Ze spreekt met haar teamleider af dat ze elk kwartaal samen terugkijken."
    ),
    (THIJS, 1): (
        "Kennismaking en intake.\n\n"
        "Thijs is vergunningverlener bij de gemeente Nijmegen en volgt de leergang "
        "Omgevingsprofessional. Aanleiding: een reeks telefoongesprekken met een bewoner die boos "
        "was over de vergunning voor de uitbouw van zijn buren. Thijs merkte dat hij zich ging "
        "verdedigen met de regels en het gesprek kortaf beëindigde. Hij bracht dit ook al in bij "
        "zijn intervisiegroep.\n\n"
        "Afspraken: vijf gesprekken van een uur, de intake meegerekend, in Nijmegen of online. "
        "Thijs schrijft zijn leervraag en doelen uit in het portaal."
    ),
    (THIJS, 2): (
        "We keken naar het gesprek op locatie met de bewoner en een collega van bezwaar en beroep. "
        "Het begin ging goed: Thijs vroeg eerst naar de zorgen over schaduw en privacy. Toen de "
        "bewoner de gemeente partijdig noemde, schoot hij weer in de uitleg over de procedure. We "
        "speelden dat moment na en zochten een zin die erkent zonder toe te geven: 'Ik snap dat "
        "het zo voelt; laten we kijken wat er nog wél kan.'\n\n"
        "Afspraak: Thijs schrijft na elk lastig gesprek in twee zinnen op wat hij deed op het "
        "moment dat het spannend werd."
    ),
    (KEES, 1): (
        "Kennismaking en intake.\n\n"
        "Kees is toezichthouder milieu bij de Omgevingsdienst Regio Utrecht. Hij merkt dat "
        "controles bij ondernemers die hij al jaren kent soms te gemoedelijk worden, en dat het "
        "daarna lastig is om streng te zijn als het nodig is.\n\n"
        "Afspraken: zes gesprekken, de intake meegerekend, online op de vroege ochtend, zodat ze "
        "passen tussen zijn controles."
    ),
    (KEES, 2): (
        "We bespraken twee controles van de afgelopen weken. Bij de eerste maakte Kees aan het "
        "eind een duidelijke afspraak met een termijn; bij de tweede liet hij het bij 'we houden "
        "contact'. We oefenden hoe hij het gesprek afsluit: samenvatten, de afspraak noemen en de "
        "datum van het hercontrole noemen.\n\n"
        "Afspraak: Kees probeert dit bij de komende drie controles."
    ),
}

# What the participant said afterwards: (participant, session).
COMMENTS = {
    (SANNE, 2): (
        "Het rollenspel was spannend, maar heel nuttig. Ik had niet door hoe vaak ik 'misschien' "
        "zeg. Het overleg met de ontwikkelaar is inmiddels geweest: ik heb mijn openingszin "
        "gebruikt en we waren in een halfuur klaar."
    ),
    (ELINE, 3): (
        "Het overleg is goed gegaan. De wethouder vond de gesprekken met ervaringsdeskundigen "
        "juist een sterk punt richting de raad. De notitie vooraf heeft veel geholpen."
    ),
    (THIJS, 2): (
        "Die zin ga ik gebruiken. Ik merk wel dat het lastig is om hem te menen als iemand me "
        "persoonlijk aanvalt."
    ),
}

# The coach's private notes, for the coach alone: (participant, session).
PRIVATE_NOTES = {
    (SANNE, 1): (
        "Reflectief, goed voorbereid en erg kritisch op zichzelf. Begint een standpunt vaak met "
        "een verontschuldiging ('misschien zie ik het verkeerd, maar...'). Werkdruk speelt mee: ze "
        "leest 's avonds nog stukken. Niet zelf aansnijden, wel op letten. Volgende keer: "
        "rollenspel met een lastig overleg uit haar eigen agenda."
    ),
    (SANNE, 2): (
        "Rollenspel werkte goed: in de tweede ronde veel meer overtuigingskracht, ook in houding "
        "en stem. Ze relativeert haar succes meteen weg. Volgende keer het nee zeggen concreet "
        "maken; ze noemde drie verzoeken van haar teamleider die ze eigenlijk niet had willen "
        "aannemen."
    ),
    (ELINE, 1): (
        "Loyaal en zorgvuldig; legt de oorzaak steeds bij zichzelf. Haar aarzeling lijkt samen te "
        "hangen met een vorige werkgever, waar kritiek niet gewaardeerd werd. Daar alleen op "
        "ingaan als zij erover begint."
    ),
    (ELINE, 2): (
        "Duidelijke stap gezet, maar ze maakt haar eigen succes klein. Volgende keer haar "
        "expliciet laten benoemen wat zíj anders deed."
    ),
    (THIJS, 1): (
        "Betrokken en eerlijk over zijn eigen aandeel. Reageert lichamelijk op kritiek: praat "
        "sneller, kruist de armen. Koppelt kritiek op een vergunning direct aan zijn eigen "
        "vakmanschap."
    ),
    (THIJS, 2): (
        "Vooruitgang zichtbaar. Volgende keer oefenen met vertragen; misschien werken met een "
        "'stoplicht' voor zijn eigen spanning."
    ),
    (KEES, 2): "Weinig tijd en veel onrust door de reorganisatie; hij keek vaak op zijn telefoon.",
    (KEES, 3): (
        "Niet verschenen en niet afgemeld. 's Middags belde hij terug: een spoedcontrole bij een "
        "bedrijf met een lekkende opslagtank. Hij twijfelt of hij nu tijd heeft voor coaching."
    ),
}

# Why the coach ended the trajectory.
ENDINGS = {
    ELINE: "Vier gesprekken gehouden en het traject samen geëvalueerd.",
    KEES: (
        "Kees stopt op eigen verzoek. Door de reorganisatie bij de omgevingsdienst en veel "
        "spoedzaken heeft hij nu geen ruimte voor de gesprekken. Hij kan zich later opnieuw "
        "aanmelden via het programmabureau."
    ),
}
