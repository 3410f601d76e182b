"""Demo data of the intervisie app, loaded by `python manage.py demo` after the leergang demo.

What it adds:

- Insights profiles (colour energies) for most participants of the running and the finished
  cohort, so the group suggestion has colours to mix;
- in the running Omgevingsprofessional cohort two groups led by the demo trainer, mixing
  organisations. Groep 1 (with the demo participant) has two held sessions, one planned in
  about two weeks with nobody bringing a case yet, and an open poll the demo participant has
  not answered; Groep 2 has one held session and an open poll;
- in the finished Beleidsfunctie cohort one group with three held sessions.

Rows are written directly, not through the services, so the demo queues no e-mail. They follow
the services' path all the same: every session comes from a poll whose chosen slot it is
(``poll_pick``), votes are cast before the poll closed, and attendance is recorded after the
session (``session_record``).

Running it again changes nothing: groups are keyed on (cohort, name), memberships on the
enrolment, profiles on the person and polls on (group, title); whatever exists is left as it
is, so a second run neither duplicates rows nor moves dates. Dates are relative to the day of
the first run (the finished cohort's to its own start), so a fresh demo always looks current.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from intervisie.methods import ensure_default_methods
from intervisie.models import (
    Group,
    Membership,
    Method,
    Poll,
    Session,
    SessionAttendance,
    Slot,
    Vote,
)
from leergang.models import Cohort, Enrolment, InsightsProfile
from portal.models import User

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TRAINER_EMAIL = "trainer@demo.example"
PARTICIPANT_EMAIL = "deelnemer@demo.example"

# (leergang slug, cohort name) as created by leergang/demo.py
RUNNING_COHORT = ("omgevingsprofessional", "Open uitvoering Midden-Nederland")
FINISHED_COHORT = ("professionaliseren-van-de-beleidsfunctie", "Open uitvoering Utrecht")

STADSKANTOOR = "Utrecht, Stadskantoor"
PROVINCIEHUIS = "Utrecht, Provinciehuis"
ONLINE = "Online"

Yes, Maybe, No = Vote.Answer.YES, Vote.Answer.MAYBE, Vote.Answer.NO
Present, Absent, Excused = (
    SessionAttendance.Status.PRESENT,
    SessionAttendance.Status.ABSENT,
    SessionAttendance.Status.EXCUSED,
)

# Insights Discovery energies in percent: red, yellow, green, blue (summing to 100).
# Priya Ramdin has not filled in the questionnaire: the suggestion treats her as neutral.
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

# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    bringer: str  # e-mail of the case bringer
    method: str
    title: str
    text: str
    notes: str
    agreements: str
    # e-mail -> (status, reason) for members who were not simply present
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

# --------------------------------------------------------------------------- helpers


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def _workday(day: date) -> date:
    """Move a Saturday or Sunday to the Monday after."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _slot_days(base: date, offsets: list[int]) -> list[date]:
    """Distinct workdays at about ``base + offset``, in order."""
    days: list[date] = []
    for offset in offsets:
        day = _workday(base + timedelta(days=offset))
        if days and day <= days[-1]:
            day = _workday(days[-1] + timedelta(days=1))
        days.append(day)
    return days


def _answers(count: int, slots: int, pick: int) -> list[list[str]]:
    """Answers of ``count`` members to a poll whose slot ``pick`` suits the group best."""
    pattern = [No, Maybe, Yes, No]
    return [
        [
            (Maybe if member % 4 == 3 else Yes) if slot == pick else pattern[(member + slot) % 4]
            for slot in range(slots)
        ]
        for member in range(count)
    ]


class _GroupBuilder:
    """Creates one group (once) and its polls and sessions (each once, keyed on the title)."""

    def __init__(
        self,
        cohort: Cohort,
        name: str,
        *,
        begeleider: User,
        emails: list[str],
        created_at: datetime,
    ):
        enrolments = {
            e.participant.email: e
            for e in Enrolment.objects.filter(
                cohort=cohort, participant__email__in=emails
            ).select_related("participant")
        }
        missing = set(emails) - set(enrolments)
        if missing:
            raise ValueError(f"{cohort}: not enrolled: {', '.join(sorted(missing))}")
        self.group, _ = Group.objects.get_or_create(
            cohort=cohort,
            name=name,
            defaults={"begeleider": begeleider, "created_at": created_at},
        )
        for email in emails:
            # An enrolment that is in a group already (a trainer moved it) stays where it is.
            Membership.objects.get_or_create(
                enrolment=enrolments[email],
                defaults={"group": self.group, "joined_at": self.group.created_at},
            )
        self.begeleider = begeleider
        self.people = {email: enrolments[email].participant for email in emails}

    def members(self) -> list[User]:
        return [
            m.enrolment.participant
            for m in self.group.memberships.select_related("enrolment__participant").order_by(
                "enrolment__pk"
            )
        ]

    def poll(
        self,
        title: str,
        *,
        created_at: datetime,
        closes_at: datetime,
        slots: list[tuple[datetime, datetime, str]],
        votes: dict[str, list[str]] | None = None,
        pick: int | None = None,
        case: Case | None = None,
        method: str = "",
        held: bool = False,
    ) -> None:
        """A poll with its slots and votes. With ``pick`` the trainer chose that slot: the poll
        is closed and the slot became a session (held with ``case``, or planned).

        Without ``votes`` every member answered, the picked slot suiting most.
        """
        if Poll.objects.filter(group=self.group, title=title).exists():
            return
        if any(start <= closes_at for start, _end, _where in slots):
            raise ValueError(f"{self.group}: {title}: every slot must start after the close")
        poll = Poll.objects.create(
            group=self.group,
            title=title,
            closes_at=closes_at,
            created_by=self.begeleider,
            created_at=created_at,
        )
        created = Slot.objects.bulk_create(
            Slot(
                poll=poll,
                starts_at=start,
                ends_at=end,
                location=where,
                online_url=(
                    f"https://meet.example.org/intervisie-{self.group.pk}-{poll.pk}"
                    if where == ONLINE
                    else ""
                ),
            )
            for start, end, where in slots
        )
        members = self.members()
        if votes is None:
            votes = dict(
                zip(
                    (m.email for m in members),
                    _answers(len(members), len(slots), pick or 0),
                    strict=True,
                )
            )
        chosen = created[pick] if pick is not None else None
        # The trainer picks on the closing day, once everyone has answered.
        picked_at = closes_at - timedelta(hours=8) if chosen else None
        answered_by = min(picked_at or closes_at, timezone.now()) - timedelta(minutes=10)
        people = {m.email: m for m in members}
        for turn, (email, answers) in enumerate(votes.items()):
            Vote.objects.bulk_create(
                Vote(slot=slot, voter=_member(people, email), answer=answer)
                for slot, answer in zip(created, answers, strict=True)
                if answer
            )
            # auto_now stamps today; the answers were given while the poll was open.
            Vote.objects.filter(slot__poll=poll, voter=people[email]).update(
                updated_at=min(created_at + timedelta(hours=1 + 2 * turn), answered_by)
            )
        if chosen is None:
            return
        poll.closed_at = picked_at
        poll.chosen_slot = chosen
        poll.save(update_fields=["closed_at", "chosen_slot"])
        session = Session.objects.create(
            group=self.group,
            starts_at=chosen.starts_at,
            ends_at=chosen.ends_at,
            location=chosen.location,
            online_url=chosen.online_url,
            from_poll=poll,
            status=Session.Status.HELD if held else Session.Status.PLANNED,
            method=Method.objects.filter(name=case.method if case else method).first(),
        )
        if case is not None:
            self._prepare_and_record(session, case, held=held)

    def _prepare_and_record(self, session: Session, case: Case, *, held: bool) -> None:
        bringer = _member(self.people, case.bringer)
        session.case_bringer = bringer
        session.case_title = case.title
        session.case_text = case.text
        if held:
            if case.attendance.get(case.bringer, (Present,))[0] != Present:
                raise ValueError(f"{session}: the case bringer must be present")
            session.notes = case.notes
            session.agreements = case.agreements
            recorded_at = session.ends_at + timedelta(minutes=25)
            SessionAttendance.objects.bulk_create(
                SessionAttendance(
                    session=session,
                    participant=member,
                    status=case.attendance.get(member.email, (Present, ""))[0],
                    reason=case.attendance.get(member.email, (Present, ""))[1],
                    recorded_at=recorded_at,
                )
                for member in self.members()
            )
        session.save()


def _member(people: dict[str, User], email: str) -> User:
    if email not in people:
        raise ValueError(f"{email} is not a member of this group")
    return people[email]


def _slots(days: list[date], where: list[str]) -> list[tuple[datetime, datetime, str]]:
    return [
        (_at(day, 13, 30), _at(day, 16, 0), place) for day, place in zip(days, where, strict=True)
    ]


def _cohort(key: tuple[str, str]) -> Cohort | None:
    slug, name = key
    return Cohort.objects.filter(leergang__slug=slug, name=name).first()


# --------------------------------------------------------------------------- data


def _insights_profiles() -> None:
    people = {u.email: u for u in User.objects.filter(email__in=INSIGHTS)}
    for email, (red, yellow, green, blue) in INSIGHTS.items():
        if email in people:
            InsightsProfile.objects.get_or_create(
                participant=people[email],
                defaults={"red": red, "yellow": yellow, "green": green, "blue": blue},
            )


def _running_cohort(cohort: Cohort, trainer: User) -> None:
    """Five weeks in: Groep 1 met twice and plans its third; Groep 2 met once."""
    today = timezone.localdate()

    def day(offset: int) -> date:
        return _workday(today + timedelta(days=offset))

    # Groep 1: one member from each organisation.
    g1 = _GroupBuilder(
        cohort,
        "Groep 1",
        begeleider=trainer,
        emails=[
            PARTICIPANT_EMAIL,
            "thijs.verhoeven@nijmegen.example",
            "jasper.vandenberg@provincie-utrecht.example",
            "bram.hoekstra@rivierenland.example",
            "priya.ramdin@odru.example",
        ],
        created_at=_at(day(-34), 10, 0),
    )
    g1.poll(
        "Eerste intervisie",
        created_at=_at(day(-34), 10, 5),
        closes_at=_at(day(-30), 17, 0),
        slots=_slots(_slot_days(today, [-26, -25, -23]), [STADSKANTOOR] * 3),
        pick=0,
        case=PERMIT_COMPLAINT,
        held=True,
    )
    g1.poll(
        "Tweede intervisie",
        created_at=_at(day(-22), 9, 30),
        closes_at=_at(day(-17), 17, 0),
        slots=_slots(_slot_days(today, [-13, -12, -10]), [STADSKANTOOR, ONLINE, STADSKANTOOR]),
        pick=1,
        case=MISSED_AGREEMENTS,
        held=True,
    )
    # Planned in about two weeks; nobody brings a case yet, so a member can volunteer.
    g1.poll(
        "Derde intervisie",
        created_at=_at(day(-10), 11, 0),
        closes_at=_at(day(-6), 17, 0),
        slots=_slots(_slot_days(today, [13, 14, 16]), [STADSKANTOOR] * 3),
        pick=1,
        method="Balintmethode",
    )
    # Open: three members answered, Priya and the demo participant not yet.
    g1.poll(
        "Volgende intervisie",
        created_at=_at(today - timedelta(days=1), 16, 10),
        closes_at=_at(day(5), 17, 0),
        slots=_slots(_slot_days(today, [35, 37, 42]), [STADSKANTOOR, STADSKANTOOR, ONLINE]),
        votes={
            "thijs.verhoeven@nijmegen.example": [Yes, Maybe, No],
            "jasper.vandenberg@provincie-utrecht.example": [Yes, Yes, Maybe],
            "bram.hoekstra@rivierenland.example": [No, Yes, Yes],
        },
    )

    # Groep 2: again every member from another organisation.
    g2 = _GroupBuilder(
        cohort,
        "Groep 2",
        begeleider=trainer,
        emails=[
            "noor.hendriks@utrecht.example",
            "anouk.peters@nijmegen.example",
            "merel.dekker@provincie-utrecht.example",
            "kees.brouwer@odru.example",
        ],
        created_at=_at(day(-34), 10, 15),
    )
    g2.poll(
        "Eerste intervisie",
        created_at=_at(day(-30), 9, 45),
        closes_at=_at(day(-24), 17, 0),
        slots=_slots(_slot_days(today, [-19, -18, -16]), [PROVINCIEHUIS] * 3),
        pick=2,
        case=PROVINCE_PROJECT,
        held=True,
    )
    g2.poll(
        "Volgende intervisie",
        created_at=_at(today - timedelta(days=2), 14, 20),
        closes_at=_at(day(4), 17, 0),
        slots=_slots(_slot_days(today, [19, 21, 26]), [PROVINCIEHUIS, ONLINE, PROVINCIEHUIS]),
        votes={
            "noor.hendriks@utrecht.example": [Yes, No, Yes],
            "merel.dekker@provincie-utrecht.example": [Maybe, Yes, Yes],
        },
    )


def _finished_cohort(cohort: Cohort, trainer: User) -> None:
    """One group of six that met three times between the bijeenkomsten."""
    start = cohort.starts_on

    def day(offset: int) -> date:
        return _workday(start + timedelta(days=offset))

    group = _GroupBuilder(
        cohort,
        "Groep 1",
        begeleider=trainer,
        emails=[
            PARTICIPANT_EMAIL,
            "maarten.dewit@utrecht.example",
            "eline.vos@nijmegen.example",
            "joost.vandam@provincie-utrecht.example",
            "iris.meijer@utrecht.example",
            "tom.schouten@rivierenland.example",
        ],
        created_at=_at(day(3), 9, 0),
    )
    for title, created, closes, offsets, pick, case in [
        ("Eerste intervisie", 4, 10, [17, 19, 22], 0, QUICK_POLICY_MEMO),
        ("Tweede intervisie", 38, 45, [52, 53, 56], 1, WIND_EVENING),
        ("Derde intervisie", 73, 80, [87, 88, 91], 0, ADVICE_RETURNED),
    ]:
        group.poll(
            title,
            created_at=_at(day(created), 10, 0),
            closes_at=_at(day(closes), 17, 0),
            slots=_slots(_slot_days(start, offsets), [STADSKANTOOR] * 3),
            pick=pick,
            case=case,
            held=True,
        )


# --------------------------------------------------------------------------- entry point


def load(*, command) -> None:
    """Create (once) the intervisie demo data; called by `python manage.py demo`."""
    ensure_default_methods()  # a test database may have been flushed since migrating
    trainer = User.objects.get(email=TRAINER_EMAIL)
    _insights_profiles()
    running, finished = _cohort(RUNNING_COHORT), _cohort(FINISHED_COHORT)
    if running is not None:
        _running_cohort(running, trainer)
    if finished is not None:
        _finished_cohort(finished, trainer)
    command.stdout.write(
        f"Intervisie: {Group.objects.count()} groepen, {Membership.objects.count()} leden, "
        f"{Session.objects.count()} bijeenkomsten, {Poll.objects.count()} datumprikkers, "
        f"{InsightsProfile.objects.count()} Insights-profielen."
    )
