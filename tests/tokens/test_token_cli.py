"""`ris3hub token create|list|revoke`."""

import pytest

from ris3hub.cli import main
from ris3hub.tokens.actions import hash_secret
from ris3hub.tokens.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_setup(monkeypatch):
    """The test database is set up already: the command must not migrate another one."""
    monkeypatch.setattr("ris3hub.cli._setup", lambda data_dir: None)


def test_create_prints_the_secret_alone_on_stdout(people, capsys):
    assert main(["token", "create", "alice", "--name", "nightly sync", "--scope", "read", "--scope", "write",
                 "--expires-days", "90"]) == 0
    out, err = capsys.readouterr()
    secret = out.strip()
    token = ApiToken.objects.get()
    assert token.key_hash == hash_secret(secret) and token.scopes == ["read", "write"]
    assert token.prefix in err and "shown only this once" in err and "expires" in err


def test_create_refuses_clearly(people, capsys):
    assert main(["token", "create", "nobody", "--name", "x", "--scope", "read"]) == 1
    assert "no user 'nobody'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["token", "create", "alice", "--name", "x", "--scope", "admin"])
    with pytest.raises(SystemExit):
        main(["token", "create", "alice", "--name", "x", "--scope", "read", "--expires-days", "-3"])
    assert "between 1 and 3650" in capsys.readouterr().err
    assert not ApiToken.objects.exists()


def test_list_and_revoke(people, capsys):
    main(["token", "create", "alice", "--name", "sync", "--scope", "read"])
    main(["token", "create", "bob", "--name", "report bot", "--scope", "export"])
    capsys.readouterr()
    alice_token, bob_token = ApiToken.objects.get(user=people.alice), ApiToken.objects.get(user=people.bob)
    assert main(["token", "list"]) == 0
    out = capsys.readouterr().out
    assert "prefix" in out and alice_token.prefix in out and bob_token.prefix in out and "report bot" in out
    assert main(["token", "list", "bob"]) == 0
    out = capsys.readouterr().out
    assert bob_token.prefix in out and alice_token.prefix not in out
    assert main(["token", "revoke", alice_token.prefix + "…"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert ApiToken.objects.get(pk=alice_token.pk).revoked is not None
    assert main(["token", "list", "alice"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main(["token", "revoke", "r3h_nothing"]) == 1
    assert "no API token starts with 'r3h_nothing'" in capsys.readouterr().err
