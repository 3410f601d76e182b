"""The steps of `make loadtest`'s journeys: the label each request is counted under, and the
URL name it is built from. Shared by the plan (bench.load, with Django, which turns the
names into each person's addresses) and the locustfile (without Django, which only reads
those addresses), so neither can name a page the other does not know."""

# label -> URL name. A POST step has the same URL as its form's step.
STEPS = {
    "sign-in: form": "account_login",
    "sign-in: password": "account_login",
    "sign-in: code form": "mfa_authenticate",
    "sign-in: code": "mfa_authenticate",
    "participant: home": "portal:home",
    "participant: mijn leergang": "leergang:my-leergang",
    "participant: catalogue": "leergang:catalogue",
    "participant: enrolment": "leergang:enrolment-detail",
    "participant: agenda": "portal:calendar",
    "participant: reflection form": "leergang:reflection-edit",
    "participant: reflection save": "leergang:reflection-edit",
    "enrol: form": "leergang:cohort-enrol",
    "enrol: send": "leergang:cohort-enrol",
    "trainer: home": "portal:home",
    "trainer: cohorts": "leergang:trainer-cohorts",
    "trainer: cohort": "leergang:cohort-manage",
    "trainer: attendance form": "leergang:attendance-edit",
    "trainer: attendance save": "leergang:attendance-edit",
    "hr: home": "portal:home",
    "hr: dashboard": "hr:dashboard",
    "hr: people": "hr:people",
    "hr: approvals": "leergang:approval-queue",
}

# What each step's URL takes, by the name of the object in the plan.
ARGUMENTS = {
    "leergang:enrolment-detail": ("enrolment",),
    "leergang:reflection-edit": ("enrolment", "module_slug"),
    "leergang:cohort-enrol": ("cohort",),
    "leergang:cohort-manage": ("cohort",),
    "leergang:attendance-edit": ("bijeenkomst",),
}
