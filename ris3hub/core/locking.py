"""Optimistic locking: two people editing the same record never silently overwrite each other.

One mechanism for every record people edit by hand:

* :class:`VersionedModel` gives the model an integer ``version``, raised by one on every save
  (pages, admin, actions). A save given the version its editor started from (``expected_version``)
  is refused with :class:`StaleObjectError` when the stored row has moved on; the check and the
  raise are one conditional ``UPDATE ... WHERE version = expected``, so two concurrent saves cannot
  both pass it, on SQLite or PostgreSQL.
* :class:`LockedModelForm` (or :class:`LockedFormMixin` on an existing ModelForm) carries the version
  the page was rendered with in a hidden field ``lock_version`` and refuses the save when the record
  changed meanwhile, saying who changed it, when, and which of the fields differ.
* :class:`LockedAdminMixin` gives the Django admin (its forms and its inlines) the same check.

Bulk imports (``core.loading.BulkUpserter``) raise the version of the rows they change with
``F("version") + 1`` in the same UPDATE, so an editor whose form was opened before an import changed
the record is refused rather than overwriting the imported values; unchanged rows keep their version.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

LOCK_FIELD = "lock_version"


class StaleObjectError(Exception):
    """A save refused because the record changed after the editor loaded it."""

    def __init__(self, instance: models.Model, expected: int, current: models.Model | None):
        self.instance = instance
        self.expected = expected
        self.current = current
        super().__init__(stale_message(instance, current))


class VersionedModel(models.Model):
    """An abstract model whose ``version`` goes up by one on every save."""

    version = models.PositiveIntegerField(default=1, editable=False,
                                          help_text="Raised by one on every save (optimistic locking)")

    class Meta:
        abstract = True

    def save(self, *args, expected_version: int | None = None, **kwargs):
        """Save, raising the version; with ``expected_version``, only if the stored row still has it."""
        if expected_version is None:
            expected_version = self.__dict__.pop("_expected_version", None)
        if self._state.adding or self.pk is None:
            self.version = 1
            return super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        using = kwargs.get("using") or self._state.db
        with transaction.atomic(using=using):
            if expected_version is not None:
                claim_version(self, int(expected_version), using=using)
                self.version = int(expected_version) + 1
                return super().save(*args, **kwargs)
            self.version = models.F("version") + 1
            super().save(*args, **kwargs)
            self.version = type(self)._base_manager.using(using).values_list("version", flat=True).get(pk=self.pk)


def claim_version(instance: models.Model, expected: int, using: str | None = None) -> None:
    """Moves the stored row from ``expected`` to ``expected + 1``, or raises StaleObjectError if it is not there."""
    manager = type(instance)._base_manager.using(using or instance._state.db)
    claimed = manager.filter(pk=instance.pk, version=expected).update(version=expected + 1)
    if not claimed:
        raise StaleObjectError(instance, expected, manager.filter(pk=instance.pk).first())


def is_versioned(model_or_instance: Any) -> bool:
    model = model_or_instance if isinstance(model_or_instance, type) else type(model_or_instance)
    return issubclass(model, VersionedModel)


def last_change(instance: models.Model) -> tuple[str, Any]:
    """(who, when) of the latest recorded change to ``instance``: from the audit log, else its ``updated`` field."""
    from auditlog.models import LogEntry

    entry = None
    if instance.pk is not None:
        entry = (LogEntry.objects.get_for_object(instance).select_related("actor").order_by("-timestamp").first())
    who = _("Someone else")
    when = getattr(instance, "updated", None)
    if entry is not None:
        when = entry.timestamp
        if entry.actor is not None:
            who = entry.actor.get_full_name() or entry.actor.get_username()
    return who, when


def stale_message(instance: models.Model, current: models.Model | None) -> str:
    if current is None:
        return _("This record was deleted while you were editing; your changes were not saved.")
    who, when = last_change(current)
    if when is not None:
        at = date_format(timezone.localtime(when), "H:i")
        return _("%(who)s changed this record at %(at)s while you were editing; your changes were not saved: "
                 "reload to see theirs") % {"who": who, "at": at}
    return _("%(who)s changed this record while you were editing; your changes were not saved: "
             "reload to see theirs") % {"who": who}


def _display(field: models.Field, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return ", ".join(sorted(str(v) for v in value)) or "—"
    return str(value)


def differences(form: forms.ModelForm, current: models.Model) -> list[tuple[str, str, str]]:
    """(field label, stored value, your value) for each form field where the stored record and the form differ."""
    out = []
    opts = current._meta
    for name, bound in ((n, form[n]) for n in form.fields if n != LOCK_FIELD):
        try:
            field = opts.get_field(name)
        except Exception:
            continue
        if name not in getattr(form, "cleaned_data", {}):
            continue
        mine = form.cleaned_data[name]
        if field.many_to_many:
            theirs = set(getattr(current, name).all())
            if set(mine or ()) == theirs:
                continue
            out.append((str(bound.label), _display(field, theirs), _display(field, list(mine or ()))))
            continue
        theirs = getattr(current, name)
        if field.is_relation:
            theirs_key = getattr(current, field.attname)
            mine_key = getattr(mine, "pk", mine)
            if theirs_key == mine_key:
                continue
        elif theirs == mine or (theirs in (None, "") and mine in (None, "")):
            continue
        out.append((str(bound.label), _display(field, theirs), _display(field, mine)))
    return out


class LockedFormMixin:
    """A ModelForm mixin: the hidden ``lock_version`` field, and the stale check on clean and on save."""

    stale_error_code = "stale"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.setdefault(LOCK_FIELD, _lock_field())
        if self.instance.pk is not None and is_versioned(self.instance):
            self.initial[LOCK_FIELD] = self.instance.version
            self.fields[LOCK_FIELD].required = True
            self.fields[LOCK_FIELD].error_messages["required"] = _(
                "The form was sent without the version of the record it edits; reload the page and try again.")
        self.stale_changes: list[tuple[str, str, str]] = []
        self.stale_current: models.Model | None = None

    @property
    def expected_version(self) -> int | None:
        if self.instance.pk is None or not is_versioned(self.instance):
            return None
        return getattr(self, "cleaned_data", {}).get(LOCK_FIELD)

    def clean(self):
        data = super().clean()
        expected = self.expected_version
        if expected is not None:
            current = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
            if current is None or current.version != expected:
                self.refuse_stale(current)
        return data

    def refuse_stale(self, current: models.Model | None) -> None:
        """Marks the form as refused: the message, and what differs between the stored record and the form."""
        self.stale_current = current
        self.stale_changes = differences(self, current) if current is not None else []
        message = stale_message(self.instance, current)
        if self.stale_changes:
            message += " " + _("What differs (stored → yours): %(changes)s.") % {
                "changes": "; ".join(f"{label}: {theirs} → {mine}" for label, theirs, mine in self.stale_changes)}
        self.add_error(None, forms.ValidationError(message, code=self.stale_error_code))

    @property
    def is_stale(self) -> bool:
        return any(e.code == self.stale_error_code for e in self.errors.as_data().get("__all__", []))

    def save(self, commit: bool = True):
        expected = self.expected_version
        if expected is not None:
            self.instance._expected_version = expected
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():
            return super().save(commit=True)


def _lock_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class LockedRecordFormMixin(LockedFormMixin):
    """For a plain Form that edits one versioned record through an action: pass ``record=``; run the action
    with :func:`save_through` so that the record's save is checked against the version the page showed."""

    def __init__(self, *args, record: models.Model | None = None, **kwargs):
        self.instance = record if record is not None else _NoRecord()
        super().__init__(*args, **kwargs)

    def action_data(self) -> dict:
        """cleaned_data without the lock field, for the action's keyword arguments."""
        return {k: v for k, v in self.cleaned_data.items() if k != LOCK_FIELD}


class _NoRecord:
    pk = None


def save_through(form: LockedRecordFormMixin, action, *args, **kwargs) -> bool:
    """Runs ``action(*args, **kwargs)``, which saves ``form.instance``, refused if the record changed meanwhile.
    True when it ran; False (and the form carries the refusal) when the record is stale."""
    expected = form.expected_version
    if expected is not None:
        form.instance._expected_version = expected
    try:
        action(*args, **kwargs)
    except StaleObjectError as stale:
        form.refuse_stale(stale.current)
        return False
    finally:
        form.instance.__dict__.pop("_expected_version", None)
    return True


class LockedModelForm(LockedFormMixin, forms.ModelForm):
    """A ModelForm with the optimistic lock."""

    lock_version = _lock_field()


def save_locked(form: forms.ModelForm) -> bool:
    """Saves a locked form; False (and the form carries the refusal) when someone saved the record meanwhile."""
    try:
        form.save()
    except StaleObjectError as stale:
        form.refuse_stale(stale.current)
        return False
    return True


def delete_locked(form: forms.ModelForm) -> bool:
    """Deletes the form's record if it is still at the version the form was loaded with; False (and the form
    carries the refusal) when someone saved it meanwhile."""
    instance = form.instance
    try:
        with transaction.atomic():
            if form.expected_version is not None:
                claim_version(instance, form.expected_version)
            instance.delete()
    except StaleObjectError as stale:
        form.refuse_stale(stale.current)
        return False
    return True


class LockedAdminMixin:
    """A ModelAdmin or InlineModelAdmin mixin: its forms carry the version and refuse stale saves."""

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = _locked(kwargs.get("form", self.form))
        return super().get_form(request, obj, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = _locked(kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        from django.contrib.admin.options import InlineModelAdmin

        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None and not isinstance(self, InlineModelAdmin):
            return fieldsets
        if any(LOCK_FIELD in _flatten(opts.get("fields", ())) for _name, opts in fieldsets):
            return fieldsets
        name, opts = fieldsets[0]
        return [(name, {**opts, "fields": [*opts.get("fields", ()), LOCK_FIELD]}), *fieldsets[1:]]


def _flatten(fields) -> list[str]:
    out = []
    for f in fields:
        out.extend(f if isinstance(f, (list, tuple)) else [f])
    return out


def _locked(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    if issubclass(form_class, LockedFormMixin):
        return form_class
    return type(f"Locked{form_class.__name__}", (LockedFormMixin, form_class), {LOCK_FIELD: _lock_field()})
