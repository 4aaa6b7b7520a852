"""Cheap AWS clients: what the clients of a session share (service model, client class, event-name cache, the
handler trie until one changes it) must not change what any of them does."""

from __future__ import annotations

import copy
import random

import boto3
from botocore.hooks import _PrefixTrie

from scanner.clients.aws_sessions import SharedTrie, new_session


EVENT = "shadowai-check.sagemaker.ListModels"  # no botocore handler listens to it


def aws_session() -> boto3.Session:
    return boto3.Session(botocore_session=new_session(), aws_access_key_id="AKIDEXAMPLE",
                         aws_secret_access_key="not-a-secret", region_name="us-east-1")


def client(boto: boto3.Session, service: str = "sagemaker", region: str = "us-east-1"):
    return boto.client(service, region_name=region, endpoint_url="http://127.0.0.1:9")


def handlers_for(events, event_name: str) -> list:
    return [handler for handler, _response in events.emit(event_name)]


def test_a_handler_registered_on_one_client_reaches_neither_the_session_nor_another_client():
    boto = aws_session()
    first, second = client(boto), client(boto, region="eu-west-1")

    def marker(**_kwargs):
        return None

    first.meta.events.register(EVENT, marker)

    assert marker in handlers_for(first.meta.events, EVENT)
    assert marker not in handlers_for(second.meta.events, EVENT)
    assert marker not in handlers_for(boto.events, EVENT)
    assert marker not in handlers_for(client(boto, region="ap-south-1").meta.events, EVENT)


def test_a_handler_registered_on_the_session_reaches_the_clients_made_after_it_only():
    boto = aws_session()
    before = client(boto)

    def marker(**_kwargs):
        return None

    boto.events.register("shadowai-check.sagemaker", marker)
    after = client(boto, region="eu-west-1")

    assert marker not in handlers_for(before.meta.events, EVENT)
    assert marker in handlers_for(after.meta.events, EVENT)
    before.meta.events.unregister("shadowai-check.sagemaker", marker)  # not there: changes nothing elsewhere
    assert marker in handlers_for(boto.events, EVENT)


def test_an_event_registered_under_an_old_alias_reaches_every_client():
    # botocore renames events of some services ("api.sagemaker" → "sagemaker"); the clients share the cache of
    # translated names, and each must still find a handler registered under the old name.
    boto = aws_session()
    called = []
    boto.events.register("shadowai-check.api.sagemaker.ListModels", lambda **_: called.append(1))

    for region in ("us-east-1", "eu-west-1", "ap-south-1"):
        client(boto, region=region).meta.events.emit(EVENT)

    assert len(called) == 3


def test_clients_share_the_service_model_of_their_loader_and_the_client_class_of_their_session():
    boto = aws_session()
    core = new_session()  # another account's session: the same data loader, as AwsClient.assume makes it
    core.register_component("data_loader", boto._session.get_component("data_loader"))
    other = boto3.Session(botocore_session=core, aws_access_key_id="AKIDEXAMPLE",
                          aws_secret_access_key="not-a-secret", region_name="us-east-1")
    first, second, elsewhere = client(boto), client(boto, region="eu-west-1"), client(other)

    assert first.meta.service_model is second.meta.service_model is elsewhere.meta.service_model
    assert type(first) is type(second)
    assert type(elsewhere) is not type(first)  # another session's creating-client-class handlers may differ
    assert first.meta.region_name == "us-east-1" and second.meta.region_name == "eu-west-1"
    assert client(boto, service="bedrock").meta.service_model is not first.meta.service_model
    assert client(aws_session()).meta.service_model is not first.meta.service_model  # another loader


def test_a_session_made_elsewhere_makes_its_clients_as_botocore_does():
    plain = boto3.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="not-a-secret",
                          region_name="us-east-1")
    aws_session()  # installs the shared creator

    first, second = client(plain), client(plain, region="eu-west-1")

    assert first.meta.service_model is not second.meta.service_model
    assert type(first) is not type(second)


def test_the_shared_trie_holds_what_botocores_trie_holds_through_copies_and_changes():
    keys = ["before-call", "before-call.sagemaker", "before-call.sagemaker.ListModels", "before-call.*.ListModels",
            "needs-retry.bedrock", "needs-retry.bedrock.ListGuardrails", "request-created.bedrock"]
    probes = ["before-call.sagemaker.ListModels", "before-call.bedrock.ListModels",
              "needs-retry.bedrock.ListGuardrails", "request-created.bedrock.ListGuardrails", "before-call"]
    plain: list[_PrefixTrie] = [_PrefixTrie()]
    shared: list[SharedTrie] = [SharedTrie()]
    registered: list[list[tuple[str, str]]] = [[]]  # (key, value) pairs in each trie
    chosen = random.Random(7)
    for step in range(800):
        index = chosen.randrange(len(plain))
        action = chosen.random()
        if action < 0.15 and len(plain) < 12:
            plain.append(copy.copy(plain[index]))
            shared.append(copy.copy(shared[index]))
            registered.append(list(registered[index]))
        elif action < 0.7 or not registered[index]:
            key, value, section = chosen.choice(keys), f"h{step}", chosen.randrange(3)
            plain[index].append_item(key, value, section)
            shared[index].append_item(key, value, section)
            registered[index].append((key, value))
        else:
            key, value = registered[index].pop(chosen.randrange(len(registered[index])))
            plain[index].remove_item(key, value)
            shared[index].remove_item(key, value)
        for left, right in zip(plain, shared):
            for probe in probes:
                assert list(left.prefix_search(probe)) == list(right.prefix_search(probe)), (step, probe)
    assert len(plain) == 12 and any(registered)  # the walk did copy, add and remove


def test_a_botocore_without_the_internals_gets_plain_sessions_that_still_make_working_clients(monkeypatch):
    from botocore.hooks import EventAliaser

    from scanner.clients import aws, aws_sessions

    assert aws_sessions.compatible()  # this botocore: the shared sessions are used
    assert isinstance(aws.new_session().get_component("event_emitter"), aws_sessions.SharedAliasEmitter)
    monkeypatch.setattr(aws, "compatible", lambda: False)  # as if a botocore release had moved them
    core = aws.new_session()
    emitter = core.get_component("event_emitter")
    assert isinstance(emitter, EventAliaser) and not isinstance(emitter, aws_sessions.SharedAliasEmitter)
    plain = boto3.Session(botocore_session=core, aws_access_key_id="AKIDEXAMPLE",
                          aws_secret_access_key="not-a-secret", region_name="us-east-1")
    assert client(plain).meta.service_model.service_name == "sagemaker"
