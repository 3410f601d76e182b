"""What the demo's participants wrote in their evaluations (invented, in Dutch)."""

COMMENTS = [
    "Heel praktisch: ik heb de oefening de week erna meteen in een overleg gebruikt.",
    "Goede balans tussen theorie en oefenen. De casus uit de groep was herkenbaar.",
    "Ik had graag wat meer tijd gehad voor de nabespreking.",
    "De trainer wist precies wanneer ze moest doorvragen. Dat hielp.",
    "",
    "Sterk programma; de middag was wel erg vol.",
    "Het materiaal vooraf was te lang; de bijeenkomst zelf was top.",
    "",
    "Eyeopener hoe verschillend collega's naar dezelfde situatie kijken.",
    "Meer voorbeelden uit de provinciale praktijk zou mooi zijn.",
]

COACHING_COMMENTS = [
    "Mijn coach hield me een spiegel voor zonder te oordelen.",
    "De sessies gaven me rust en richting.",
    "",
]
