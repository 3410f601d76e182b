from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from coaching.models import TRAJECTORY_TRANSITIONS, AvailabilitySlot, CoachingSession, Trajectory
from coaching.services import MAX_AGREED_SESSIONS
from leergang.models import Enrolment
from portal import access
from portal.forms import IdChoiceField, MomentForm, Submit, text_field
from portal.models import Role, User
from portal.once import OnceFormMixin


def _one_message(text) -> dict:
    """The same words for an empty and for an unknown choice."""
    return {"required": text, "invalid_choice": text}


def _helper(label, name="submit", *, action=None) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    if action:
        helper.form_action = action
    helper.add_input(Submit(name, label))
    return helper


class SlotForm(OnceFormMixin, MomentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Offer this moment"))


class BookForm(OnceFormMixin, forms.Form):
    """The participant's choice among their own coach's moments; the service checks the rest."""

    slot = IdChoiceField(
        label=_("Free moments of your coach"),
        queryset=None,
        error_messages=_one_message(_("Choose one of the free moments.")),
    )

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        # Through the trajectory: only its own coach's moments are a choice. A moment just
        # booked by someone else still is one, so the service can say so in words.
        self.fields["slot"].queryset = AvailabilitySlot.objects.filter(coach_id=trajectory.coach_id)


class MarkForm(forms.Form):
    """After the moment, the coach marks the session held or missed."""

    mark = forms.ChoiceField(
        choices=[
            (status.value, status.label)
            for status in (CoachingSession.Status.HELD, CoachingSession.Status.NO_SHOW)
        ],
        error_messages=_one_message(_("Choose held or did not show up.")),
    )


class ParticipantSessionForm(forms.ModelForm):
    class Meta:
        model = CoachingSession
        fields = ["preparation", "participant_comment"]
        widgets = {
            "preparation": forms.Textarea(attrs={"rows": 4}),
            "participant_comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preparation"].help_text = _(
            "What do you want to talk about? Your coach reads this."
        )
        self.fields["participant_comment"].help_text = _("Your reaction to the shared summary.")
        self.helper = _helper(_("Save"))


class SummaryForm(forms.ModelForm):
    class Meta:
        model = CoachingSession
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].help_text = _("You and the participant both read this.")
        self.helper = _helper(_("Save summary"), "save_summary")


class PrivateNoteForm(OnceFormMixin, forms.Form):
    text = text_field(
        label=_("Private note"),
        max_length=5000,
        rows=4,
        help_text=_(
            "Only you can ever read this: not the participant, not HR, not the programme office."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add private note"), "add_note")


class LeervraagForm(forms.Form):
    leervraag = text_field(
        label=_("Learning question"),
        max_length=2000,
        required=False,
        rows=4,
        help_text=_(
            "What do you want to learn in this trajectory? Your coach reads it; HR does not."
        ),
    )

    def __init__(self, *args, trajectory, action=None, **kwargs):
        super().__init__(*args, prefix="leervraag", **kwargs)
        self.fields["leervraag"].initial = trajectory.leervraag
        self.helper = _helper(_("Save learning question"), action=action)


class GoalForm(OnceFormMixin, forms.Form):
    description = forms.CharField(label=_("New goal"), max_length=300)

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, prefix="goal", **kwargs)
        self.fields["description"].help_text = _(
            "Concrete and observable, for example: I open difficult conversations myself."
        )
        self.helper = _helper(_("Add goal"), action=action)


class GoalProgressForm(OnceFormMixin, forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What changed?"), max_length=500, required=False)

    def __init__(self, *args, goal, action=None, **kwargs):
        super().__init__(*args, prefix=f"progress-{goal.pk}", **kwargs)
        self.goal = goal
        self.fields["progress"].initial = goal.progress
        self.helper = _helper(_("Save progress"), action=action)


class PlanSessionForm(OnceFormMixin, MomentForm):
    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, prefix="plan", **kwargs)
        self.helper = _helper(_("Plan and invite"), action=action)


class ExtendForm(OnceFormMixin, forms.Form):
    extra = forms.IntegerField(
        label=_("Extra sessions"), min_value=1, max_value=MAX_AGREED_SESSIONS, initial=1
    )

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, prefix="extend", **kwargs)
        self.helper = _helper(_("Extend the trajectory"), action=action)


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(label=_("New state"), choices=())
    reason = text_field(
        label=_("Explanation"),
        max_length=1000,
        required=False,
        rows=2,
        help_text=_("Required when the trajectory stops. The participant reads this."),
    )

    def __init__(self, *args, trajectory, action=None, **kwargs):
        super().__init__(*args, prefix="state", **kwargs)
        allowed = TRAJECTORY_TRANSITIONS[trajectory.state]
        self.fields["to_state"].choices = [
            (value, label) for value, label in Trajectory.State.choices if value in allowed
        ]
        self.helper = _helper(_("Change state"), action=action)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("to_state") == Trajectory.State.STOPPED
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Say why the trajectory stops."))
        return cleaned


class EnrolmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, enrolment):
        return f"{enrolment.participant.get_full_name()} · {enrolment.cohort}"


class StartTrajectoryForm(OnceFormMixin, forms.Form):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=User.objects.none())
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=User.objects.none())
    agreed_sessions = forms.IntegerField(
        label=_("Agreed sessions"),
        min_value=1,
        max_value=MAX_AGREED_SESSIONS,
        initial=6,
        help_text=_("Including the intake, for example 6 for an intake and five sessions."),
    )
    enrolment = EnrolmentChoiceField(
        label=_("Part of a leergang"),
        queryset=Enrolment.objects.none(),
        required=False,
        help_text=_("Optional: the enrolment this coaching belongs to."),
    )
    funded_by = forms.ChoiceField(
        label=_("Paid"), choices=Trajectory.Funding.choices, initial=Trajectory.Funding.PROGRAMME
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # The same rule as everything else: HR chooses among its own organisation's people.
        people = (
            access.visible(user, User)
            .with_role(Role.DEELNEMER)
            .select_related("organisation")
            .order_by("last_name", "first_name")
        )
        self.fields["participant"].queryset = people
        self.fields["participant"].label_from_instance = _person_label
        self.fields["coach"].queryset = User.objects.with_role(Role.COACH).order_by(
            "last_name", "first_name"
        )
        self.fields["coach"].label_from_instance = lambda coach: coach.get_full_name()
        self.fields["enrolment"].queryset = (
            Enrolment.objects.filter(
                participant__in=people,
                state__in=[Enrolment.State.ENROLLED, Enrolment.State.COMPLETED],
            )
            .select_related("participant", "cohort__leergang")
            .order_by("participant__last_name", "cohort__starts_on")
        )
        if not user.is_beheerder:
            # HR starts what its organisation pays for; the service records that.
            del self.fields["funded_by"]
        self.helper = _helper(_("Start trajectory"))

    def clean(self):
        cleaned = super().clean()
        # Whom HR may choose is the queryset above; the service checks it again.
        participant, enrolment = cleaned.get("participant"), cleaned.get("enrolment")
        if participant and enrolment and enrolment.participant_id != participant.pk:
            self.add_error("enrolment", _("The enrolment belongs to someone else."))
        return cleaned


def _person_label(person: User) -> str:
    organisation = person.organisation.name if person.organisation else ""
    return f"{person.get_full_name()} ({organisation})" if organisation else person.get_full_name()
