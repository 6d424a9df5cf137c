"""Preferences > Full text: the sources whose articles' full text loads as they are shown
(added with Article > Always Load Full Text from This Source), with a button to remove one.
Remote images off turns them all off (nothing is fetched)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from reader.ui.actions import key_text
from reader.ui.settings import Settings


class FullTextSources(QGroupBox):
    """Lists ``settings.fulltext_sources``; :attr:`changed` after one was removed."""

    changed = Signal(str)  #: "fulltext_sources"

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("Full text", parent)
        self.settings = settings
        self.setAccessibleName("Full text")
        layout = QVBoxLayout(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.source_list = QListWidget(self)
        self.source_list.setObjectName("fulltextSources")
        self.source_list.setAccessibleName("Sources whose full text always loads")
        self.source_list.setAccessibleDescription(
            "Add one with Article > Always Load Full Text from This Source; none by default"
        )
        self.source_list.setMaximumHeight(90)
        self.source_list.addItems(settings.fulltext_sources)
        layout.addWidget(self.source_list)
        row = QHBoxLayout()
        self.remove_button = QPushButton("Re&move Source", self)
        self.remove_button.clicked.connect(self.remove_source)
        self.set_keys(None)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)

    def set_keys(self, keys: Mapping[str, Sequence[str]] | None) -> None:
        """Name the current key of Load Full Text (``keys`` by action name; None: the defaults)."""
        key = key_text("load_fulltext", keys)
        how = f"Press {key} on an article" if key else "Choose Article > Load Full Text"
        self.note.setText(f"{how} to load its whole text from its web page. "
                          "Articles of these sources load it as they are shown:")  # fmt: skip
        when = f"when you press {key}" if key else "when you ask (Article > Load Full Text)"
        self.remove_button.setAccessibleDescription(f"Load the selected source's full texts only {when}")

    def sources(self) -> list[str]:
        return [self.source_list.item(i).text() for i in range(self.source_list.count())]

    def remove_source(self) -> None:
        row = self.source_list.currentRow()
        if row >= 0:
            self.source_list.takeItem(row)
            self.settings.fulltext_sources = self.sources()
            self.changed.emit("fulltext_sources")
