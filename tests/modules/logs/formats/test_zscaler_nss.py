"""Zscaler NSS web logs: the JSON feed (Splunk envelope) and the default quoted-CSV feed."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.zscaler_nss import ZscalerNssCsv, ZscalerNssJson
from tests.modules.logs.formats.reading import found, parse_each, scan_files

EVENT = ('{{ "sourcetype" : "zscalernss-web", "event" :{{"time":"{time}","login":"{login}","proto":"{proto}",'
         '"eurl":"{eurl}","action":"Allowed","appname":"{app}","appclass":"AI & ML Applications","reqsize":"812",'
         '"respsize":"{size}","stime":"12","ctime":"40","urlclass":"Business Use","urlsupercat":"Information Technology",'
         '"urlcat":"Web Search","malwarecat":"None","threatname":"None","riskscore":"0","dlpeng":"None","dlpdict":"None",'
         '"location":"HQ","dept":"Research","cip":"{cip}","sip":"104.18.32.47","reqmethod":"{method}","respcode":"200",'
         '"ua":"{ua}","ereferer":"{referer}","ruletype":"None","rulelabel":"None","contenttype":"application/json",'
         '"unscannabletype":"None","deviceowner":"ada","devicehostname":"LAPTOP-7F3K2"}}}}')
JSON_FEED = "\n".join([
    EVENT.format(time="Sun Nov 30 00:00:00 2025", login="ada@example.com", proto="HTTPS",
                 eurl="chatgpt.com/backend-api/conversation", app="ChatGPT", size="5120", cip="10.0.0.5",
                 method="POST", ua="Mozilla/5.0", referer="None"),
    EVENT.format(time="Sun Nov 30 00:00:01 2025", login="ada@example.com", proto="HTTP_PROXY",
                 eurl="api.openai.com:443", app="OpenAI", size="65", cip="10.0.0.5", method="CONNECT",
                 ua="python-requests/2.31", referer="None"),
    EVENT.format(time="Sun Nov 30 00:00:02 2025", login="grace@example.com", proto="HTTPS",
                 eurl="www.debian.org/", app="General Browsing", size="20480", cip="10.0.0.6", method="GET",
                 ua="Mozilla/5.0 (claude.ai)", referer="https://claude.ai/"),
]) + "\n"
CSV_FEED = """\
"Sun Nov 30 00:00:03 2025","grace@example.com","HTTPS","claude.ai/api/organizations","Allowed","Claude","AI & ML Applications","72","14061","0","0","Business Use","Information Technology","Generative AI","None","None","0","None","None","HQ","Research","10.0.0.6","160.79.104.10","GET","200","Mozilla/5.0","None","None","None","Other","None","NA","NA","N/A"
"Mon Dec  1 09:05:11 2025","alan@example.com","HTTP","www.debian.org/","Blocked","General Browsing","General Browsing","72","14061","0","0","Productivity Loss","Shopping and Auctions","Online Shopping","None","None","0","None","None","HQ","Default Department","10.0.0.7","151.101.2.132","GET","403","curl/7.68.0","https://chatgpt.com/","FwFilter","Firewall_1","Other","None","NA","NA","N/A"
"""
FIXTURES = [("zscaler-nss-json", JSON_FEED), ("zscaler-nss-csv", CSV_FEED)]


def test_json_feed_gives_url_host_user_and_client():
    assert found(ZscalerNssJson, JSON_FEED) == [
        {"host": "chatgpt.com", "path": "/backend-api/conversation", "timestamp": "2025-11-30T00:00:00Z",
         "user": "ada@example.com", "client": "10.0.0.5", "method": "POST", "status": "200", "bytes": 5120},
        {"host": "api.openai.com", "timestamp": "2025-11-30T00:00:01Z", "user": "ada@example.com",
         "client": "10.0.0.5", "method": "CONNECT", "status": "200", "bytes": 65},
        {"host": "www.debian.org", "path": "/", "timestamp": "2025-11-30T00:00:02Z", "user": "grace@example.com",
         "client": "10.0.0.6", "method": "GET", "status": "200", "bytes": 20480},
    ]


def test_a_bare_json_record_and_epoch_time_are_read():
    line = '{"epochtime":"1764460800","login":"ada@example.com","eurl":"claude.ai/new","cip":"10.0.0.5","reqmethod":"GET"}'
    assert ZscalerNssJson().parse(line)["timestamp"] == "2025-11-30T00:00:00Z"


def test_csv_feed_reads_fields_by_their_default_positions():
    first, second = parse_each(ZscalerNssCsv, CSV_FEED)
    assert first == {"host": "claude.ai", "path": "/api/organizations", "timestamp": "2025-11-30T00:00:03Z",
                     "user": "grace@example.com", "client": "10.0.0.6", "method": "GET", "status": "200",
                     "bytes": 14061}
    assert (second["host"], second["timestamp"]) == ("www.debian.org", "2025-12-01T09:05:11Z")


def test_a_tab_separated_feed_is_read_too():
    line = CSV_FEED.splitlines()[0].replace('","', "\t").strip('"')
    assert ZscalerNssCsv().parse(line)["host"] == "claude.ai"


@pytest.mark.parametrize("log_format, line, reason", [
    (ZscalerNssCsv, '"2025-11-30 00:00:03","grace@example.com","HTTPS","claude.ai/"', "not an NSS web row"),
    (ZscalerNssJson, '{"sourcetype":"zscalernss-web","event":{"login":"ada@example.com"}}', "not an NSS web record"),
    (ZscalerNssJson, '{"time":"30/11/2025","login":"a","eurl":"claude.ai/","cip":"10.0.0.5"}', "NSS time '30/11/2025'"),
])
def test_malformed_lines_are_bad_records(log_format, line, reason):
    with pytest.raises(BadRecord, match=reason):
        log_format().parse(line)


def test_scan_logs_reads_both_feeds(tmp_path, db_path):
    assert scan_files(tmp_path, db_path, {"web.json": JSON_FEED, "web.csv": CSV_FEED}) == {
        ("web.json", "chatgpt", "ada@example.com"): 1, ("web.json", "openai-api", "ada@example.com"): 1,
        ("web.csv", "claude", "grace@example.com"): 1,
    }
