"""One notice, four shapes: a JSON document (generic webhook), Slack Block Kit, a Teams Adaptive Card, plain text.

Subjects and locations come from logs and APIs that others control, so they are escaped for each format (a
user name such as ``<https://evil|click>`` must not become a link in Slack, nor ``[x](https://evil)`` in
Teams) and shortened.
"""

from __future__ import annotations

import re
from typing import Any

from scanner.notifications.events import Notice

MAX_VALUE = 200
SLACK_TEXT_LIMIT = 2900  # a section's text may hold 3000 characters
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


def listed(names: list[str], total: int) -> str:
    shown = ", ".join(short(name) for name in names)
    return shown + (f" and {total - len(names)} more" if total > len(names) else "")


def lines(notice: Notice) -> list[tuple[str, list[str]]]:
    """(heading, one line per item) for each kind of event in the notice, in plain words."""
    sections = []
    if notice.new_services:
        items = [f"{s.service_name} ({s.service_id}, {s.vendor or 'vendor unknown'}, {s.category or 'uncategorised'})"
                 f" — {s.sanction}; seen for {listed(s.subjects, s.subject_count)} in "
                 f"{listed(s.locations, s.location_count)} (source {', '.join(s.sources)}); {s.hits} hits "
                 f"from {s.first_seen} to {s.last_seen}" for s in notice.new_services]
        if notice.more_services:
            items.append(f"and {notice.more_services} more")
        sections.append(("New AI services, not sanctioned", items))
    if notice.new_blocked_users:
        items = [f"{short(u.subject)} — {u.service_name} ({u.service_id}, blocked), first seen {u.first_seen} in "
                 f"{listed(u.locations, len(u.locations))} (source {', '.join(u.sources)})"
                 for u in notice.new_blocked_users]
        if notice.more_blocked_users:
            items.append(f"and {notice.more_blocked_users} more")
        sections.append(("New users of blocked AI services", items))
    for heading, problems in (("Sources that failed", notice.failed_sources),
                              ("Sources only partly covered", notice.partial_sources)):
        if problems:
            sections.append((heading, [
                f"{p.source} ({p.command}): {p.status}, exit code {p.exit_code if p.exit_code is not None else '-'}"
                f"{', runs ' + ', '.join(map(str, p.runs)) if p.runs else ''}" + (f" — {p.reason}" if p.reason else "")
                for p in problems]))
    return sections


def as_text(notice: Notice) -> str:
    out = [notice.title, ""]
    for heading, items in lines(notice):
        out.append(heading + ":")
        out += [f"  - {item}" for item in items]
        out.append("")
    out.append(f"Scan run {notice.run_id} on {notice.host}; source runs: {', '.join(map(str, notice.runs)) or '-'}.")
    out.append("How to look:")
    out += [f"  {command}" for command in notice.look]
    return "\n".join(out) + "\n"


def slack_escape(text: str) -> str:
    """Slack's three control characters (https://api.slack.com/reference/surfaces/formatting#escaping)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(notice: Notice) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": notice.title[:150]}}]
    for heading, items in lines(notice):
        text = f"*{slack_escape(heading)}*"
        for item in items:
            line = "\n• " + slack_escape(item)
            if len(text) + len(line) > SLACK_TEXT_LIMIT:
                blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
                text = ""
            text += line
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text.lstrip("\n")}})
    look = "\n".join(f"`{slack_escape(command)}`" for command in notice.look)
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": slack_escape(
        f"Scan run {notice.run_id} on {notice.host}. How to look:") + "\n" + look}]})
    return {"text": notice.title, "blocks": blocks[:50]}


def markdown_escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def teams_payload(notice: Notice) -> dict[str, Any]:
    """The message a Teams workflow's "When a Teams webhook request is received" trigger expects: an
    attachment holding an Adaptive Card (Workflows accept Adaptive Cards only, not the old MessageCard)."""
    body: list[dict[str, Any]] = [{"type": "TextBlock", "text": markdown_escape(notice.title), "size": "Large",
                                   "weight": "Bolder", "wrap": True}]
    for heading, items in lines(notice):
        body.append({"type": "TextBlock", "text": markdown_escape(heading), "weight": "Bolder", "spacing": "Medium",
                     "wrap": True})
        body += [{"type": "TextBlock", "text": "- " + markdown_escape(item), "wrap": True, "spacing": "Small"}
                 for item in items]
    body.append({"type": "TextBlock", "text": markdown_escape(f"Scan run {notice.run_id} on {notice.host}. "
                                                              "How to look:"), "spacing": "Medium", "wrap": True,
                 "isSubtle": True})
    body += [{"type": "TextBlock", "text": markdown_escape(command), "fontType": "Monospace", "wrap": True, "spacing": "None"}
             for command in notice.look]
    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
            "version": "1.4", "body": body, "msteams": {"width": "Full"}}
    return {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                                                "contentUrl": None, "content": card}]}


def webhook_payload(notice: Notice) -> dict[str, Any]:
    return dict(notice.as_dict(), text=as_text(notice))
