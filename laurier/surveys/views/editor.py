"""The survey editor: the organisation's surveys, their questions and choices.

Admins and managers edit every survey of the organisation but the frozen copies campaigns sent,
which answer 404 here like another organisation's surveys.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laurier.core.forms import add_service_errors
from laurier.core.listing import (
    export_response,
    paginate,
    requested_export,
    search_text,
    sort_queryset,
)
from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view

from ..forms.editor import CHOICE_ROWS, ChoiceFormSet, QuestionForm, SurveyForm
from ..models import Question
from ..selectors import editor as selectors
from ..services import editing as services
from ..standard import install_standard_surveys

manager_view = organisation_view(roles=MANAGER_ROLES)


def _survey_or_404(request, pk):
    return get_object_or_404(selectors.editable_surveys(request.organisation), pk=pk)


def _question_or_404(survey, question_pk):
    return get_object_or_404(
        Question.objects.select_related("shown_if_choice"), survey=survey, pk=question_pk
    )


def _to_survey(request, survey, anchor=""):
    response = redirect("surveys:detail", request.organisation.slug, survey.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@manager_view
def survey_list(request):
    # The ready-made surveys are always there to start from, even in an organisation made
    # before they existed.
    install_standard_surveys(request.organisation)
    search = search_text(request)
    surveys, sort = sort_queryset(
        request,
        selectors.surveys_for_list(request.organisation, search=search),
        selectors.survey_sorts(),
        "title",
    )
    if export_format := requested_export(request):
        return export_response(
            _("surveys"),
            [_("Title"), _("Purpose"), _("Questions"), _("Campaigns sent"), _("Last sent")],
            (
                [
                    survey.title,
                    survey.get_purpose_display(),
                    survey.question_count,
                    survey.campaign_count,
                    survey.last_sent_at,
                ]
                for survey in surveys
            ),
            export_format,
        )
    return render(
        request,
        "surveys/editor/survey_list.html",
        {"page": paginate(request, surveys), "sort": sort, "search": search},
    )


@manager_view
def survey_create(request):
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Survey created: now add its questions."))
            return _to_survey(request, survey)
    return render(request, "surveys/editor/survey_form.html", {"form": form, "creating": True})


@manager_view
def survey_edit(request, pk):
    survey = _survey_or_404(request, pk)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_survey(survey, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Survey saved."))
            return _to_survey(request, survey)
        # The page shows the survey as saved, not the refused values.
        survey.refresh_from_db()
    return render(request, "surveys/editor/survey_form.html", {"form": form, "survey": survey})


@require_POST
@manager_view
def survey_copy(request, pk):
    survey = _survey_or_404(request, pk)
    try:
        copy, created = services.copy_survey_to_edit(survey, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_survey(request, survey)
    if created:
        messages.success(request, _("Survey copied: this is the copy, ready to change."))
    else:
        messages.info(request, _("This survey was already copied: here is the copy."))
    return _to_survey(request, copy)


@manager_view
def survey_detail(request, pk):
    survey = _survey_or_404(request, pk)
    questions = selectors.questions_of_survey(survey)
    return render(
        request,
        "surveys/editor/survey_detail.html",
        {"survey": survey, "questions": questions, "last_position": len(questions)},
    )


def _with_more_choice_rows(data):
    """The submitted form plus CHOICE_ROWS blank choice rows, keeping what was typed."""
    data = data.copy()
    prefix = ChoiceFormSet.get_default_prefix()
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except ValueError:
        total = 0
    data[f"{prefix}-TOTAL_FORMS"] = str(min(max(total, 0) + CHOICE_ROWS, ChoiceFormSet.max_num))
    return data


def _question_page(request, survey, question):
    """Create (question without pk) or edit a question with its choices."""
    creating = question.pk is None
    options = selectors.condition_options(survey, before=None if creating else question)
    data = request.POST if request.method == "POST" else None
    adding_rows = data is not None and "add_rows" in data
    if adding_rows:
        data = _with_more_choice_rows(data)
    initial = {} if question.pk else {"kind": Question.Kind.SINGLE_CHOICE}
    form = QuestionForm(data, instance=question, condition_options=options, initial=initial)
    # The profile and the reports read a keyed question's answers by its type: a submitted
    # type must not change which choice rows are checked.
    kind = question.kind if question.key else (data or {}).get("kind")
    formset = ChoiceFormSet(data, instance=question, kind=kind or None)
    # A keyed text or scale question never takes choices: no rows to offer.
    show_choices = not (question.key and question.kind not in Question.CHOICE_KINDS)
    if not show_choices:
        formset.extra = 0
    if data is not None and not adding_rows:
        form_valid, formset_valid = form.is_valid(), formset.is_valid()
        if form_valid and formset_valid:
            fields = dict(form.cleaned_data)
            condition = fields.pop("condition")
            try:
                if creating:
                    question = services.create_question(
                        survey,
                        actor=request.user,
                        choices=formset.edits(),
                        shown_if_choice=condition,
                        **fields,
                    )
                else:
                    services.update_question(
                        question,
                        actor=request.user,
                        choices=formset.edits(),
                        shown_if_choice=condition,
                        **fields,
                    )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "shown_if_choice" in error.error_dict:
                    form.add_error("condition", error.error_dict.pop("shown_if_choice"))
                    if not error.error_dict:
                        error = None
                if error is not None:
                    add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Question added.") if creating else _("Question saved.")
                )
                return _to_survey(request, survey, f"question-{question.pk}")
    return render(
        request,
        "surveys/editor/question_form.html",
        {
            "survey": survey,
            "question": question,
            "form": form,
            "formset": formset,
            "creating": creating,
            "show_choices": show_choices,
        },
    )


@manager_view
def question_create(request, pk):
    survey = _survey_or_404(request, pk)
    return _question_page(request, survey, Question(survey=survey))


@manager_view
def question_edit(request, pk, question_pk):
    survey = _survey_or_404(request, pk)
    return _question_page(request, survey, _question_or_404(survey, question_pk))


@manager_view
def question_delete(request, pk, question_pk):
    survey = _survey_or_404(request, pk)
    question = Question.objects.filter(survey=survey, pk=question_pk).first()
    if question is None:
        if request.method == "POST":
            # The first of a double submit deleted it already.
            messages.info(request, _("This question was already deleted."))
            return _to_survey(request, survey)
        raise Http404
    if request.method == "POST":
        try:
            services.delete_question(question, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _to_survey(request, survey, f"question-{question.pk}")
        messages.success(request, _("Question deleted."))
        return _to_survey(request, survey)
    return render(
        request,
        "surveys/editor/question_delete.html",
        {"survey": survey, "question": question},
    )


@require_POST
@manager_view
def question_move(request, pk, question_pk):
    survey = _survey_or_404(request, pk)
    question = _question_or_404(survey, question_pk)
    try:
        from_position = int(request.POST.get("position", ""))
    except ValueError:
        from_position = None
    try:
        services.move_question(
            question,
            request.POST.get("direction"),
            actor=request.user,
            from_position=from_position,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_survey(request, survey, f"question-{question.pk}")
