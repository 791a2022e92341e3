"""Two staff members edit the same good practice: the second, stale save is refused (core.locking)."""

from ris3hub.core.locking import LOCK_FIELD
from ris3hub.practices.models import GoodPractice


def _form_data(response) -> dict:
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else value
    return data


def test_a_stale_practice_save_is_refused(client, practices, people):
    client.force_login(people.staff)
    url = f"/practices/{practices.network.slug}/edit/"
    first, second = _form_data(client.get(url)), _form_data(client.get(url))
    assert first[LOCK_FIELD] == 1
    first["summary"] = "Updated by the first editor."
    assert client.post(url, first).status_code == 302
    second["summary"] = "Updated by the second editor."
    response = client.post(url, second)
    assert response.status_code == 200
    assert "your changes were not saved" in response.content.decode()
    assert GoodPractice.objects.get(pk=practices.network.pk).summary == "Updated by the first editor."
