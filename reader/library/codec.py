"""Rows <-> values: how an :class:`~reader.article.Article` (and a taxonomy entry, and a
list row) is written to and read back from the tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from reader.article import Article, Image, Kind, Provider, Related, Taxonomy
from reader.filenames import restored, stored
from reader.library.values import ListRow
from reader.timefmt import from_timestamp

if TYPE_CHECKING:
    from reader.documents import NewsFields

_IN_JSON = "{} (SELECT value FROM json_each(?))"


_ROW_COLUMNS = "a.rowid, a.id, a.title, a.provider, a.domain, a.published, a.read, a.starred, a.heat, a.quality, a.kind"


def _list_row(row: Sequence[Any]) -> ListRow:
    return ListRow(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), bool(row[7]), row[8], row[9], row[10])


_ARTICLE_COLUMNS = (
    "id, path, source_mtime, kind, title, excerpt, body, published, url, amp_url, provider, domain, "
    "provider_icon, topics, quality, heat, featured, language, data"
)


#: (The trigger ``entries_insert`` adds the article's list entry, with the user's marks.)
#: The rowid is larger than any an article ever had in the library (see ``rowid_high`` in
#: reader.library.schema): never one of an article removed.
_INSERT_ARTICLE = (
    f"INSERT INTO articles(rowid, {_ARTICLE_COLUMNS}, added) VALUES ("
    "max(coalesce((SELECT max(rowid) FROM articles), 0), (SELECT value FROM meta WHERE key = 'rowid_high')) + 1, "
    f"{', '.join('?' * 20)})"
)


def _timestamp(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def _datetime(stamp: float | None) -> datetime | None:
    return from_timestamp(stamp)  # (a placeholder date stored before it was known as one: none)


def _image_json(image: Image) -> dict[str, object]:
    return {"url": image.url, "width": image.width, "height": image.height, "title": image.title}


def _provider_json(provider: Provider | None) -> dict[str, object] | None:
    if provider is None:
        return None
    return {"name": provider.name, "domain": provider.domain, "icon_url": provider.icon_url}


def _article_values(article: Article, mtime: int) -> tuple[object, ...]:
    data = {
        "images": [_image_json(i) for i in article.images],
        "related": [
            {
                "title": r.title,
                "url": r.url,
                "excerpt": r.excerpt,
                "published": _timestamp(r.published),
                "provider": _provider_json(r.provider),
                "quality": r.quality,
                "images": [_image_json(i) for i in r.images],
            }
            for r in article.related
        ],
        "extra": dict(article.extra),
    }
    provider = article.provider
    return (
        article.id,
        stored(article.path),
        mtime,
        str(article.kind),
        article.title,
        article.excerpt,
        article.body,
        _timestamp(article.published),
        article.url,
        article.amp_url,
        provider.name if provider else None,
        provider.domain.lower() if provider and provider.domain else None,
        provider.icon_url if provider else None,
        "\n".join(article.topics),
        article.quality,
        article.heat,
        int(article.featured),
        article.language,
        json.dumps(data, ensure_ascii=False),
    )


def _news_values(news: NewsFields, path: str, mtime: int) -> tuple[object, ...]:
    """The article row of a news document read the lean way: the same as
    :func:`_article_values` gives for the :class:`Article` the full way builds."""
    data = {"images": news.images, "related": news.related, "extra": news.extra}
    domain = news.provider_domain
    return (
        news.id,
        stored(path),
        mtime,
        "news",
        news.title,
        news.excerpt,
        news.body,
        _timestamp(news.published),
        news.url,
        news.amp_url,
        news.provider,
        domain.lower() if news.provider is not None and domain else None,
        news.provider_icon,
        "\n".join(news.topics),
        news.quality,
        news.heat,
        int(news.featured),
        news.language,
        json.dumps(data, ensure_ascii=False),
    )


def _image(data: dict[str, Any]) -> Image:
    return Image(url=data["url"], width=data.get("width"), height=data.get("height"), title=data.get("title"))


def _provider(data: dict[str, Any] | None) -> Provider | None:
    if not data:
        return None
    return Provider(name=data["name"], domain=data.get("domain"), icon_url=data.get("icon_url"))


def _article_from_row(row: Sequence[Any]) -> Article:
    (id_, path, _mtime, kind, title, excerpt, body, published, url, amp_url, provider, domain, icon,
     topics, quality, heat, featured, language, data_json) = row  # fmt: skip
    data = json.loads(data_json)
    return Article(
        id=id_,
        path=restored(path),
        kind=Kind(kind),
        title=title,
        excerpt=excerpt,
        body=body,
        published=_datetime(published),
        url=url,
        amp_url=amp_url,
        provider=Provider(provider, domain, icon) if provider else None,
        topics=tuple(t for t in topics.split("\n") if t),
        images=tuple(_image(i) for i in data.get("images", ())),
        related=tuple(
            Related(
                title=r["title"],
                url=r.get("url"),
                excerpt=r.get("excerpt"),
                published=_datetime(r.get("published")),
                provider=_provider(r.get("provider")),
                quality=r.get("quality"),
                images=tuple(_image(i) for i in r.get("images", ())),
            )
            for r in data.get("related", ())
        ),
        quality=quality,
        heat=heat,
        featured=bool(featured),
        language=language,
        extra=MappingProxyType(data.get("extra", {})),
    )


def _taxonomy_from_row(row: Sequence[Any]) -> Taxonomy:
    id_, kind, name, domain, description, keywords, parents = row
    return Taxonomy(
        id=id_,
        path="",
        taxonomy=kind,
        name=name,
        domain=domain,
        description=description,
        keywords=tuple(json.loads(keywords)),
        parents=tuple(json.loads(parents)),
    )
