"""Read transaction graphs in the AMLSim layout, quarantining bad rows.

The layout (IBM AMLSim sample outputs) is a folder with ``nodes.csv``
(``nodeid, isFraud, ...``) and ``transactions.csv``
(``sourceNodeId, targetNodeId, value, time``). Rows with a missing account, an
amount that is not a positive number or a time that is not a number are
quarantined with their line number; the rest are returned.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from fanzha.errors import UnsupportedFormatError
from fanzha.graph.records import Quarantined

logger = logging.getLogger(__name__)

TX_COLUMNS = {
    "sourceNodeId": "src",
    "targetNodeId": "dst",
    "value": "amount",
    "time": "at",
}


@dataclass
class MoneyGraph:
    """Transfers (``src, dst, amount, at, transfer_id``) and labelled accounts.

    ``transfer_id`` is the transfer's line number in ``transactions.csv``.

    ``accounts`` has a column ``account`` and, when known, ``laundering`` (0/1).
    """

    transfers: pd.DataFrame
    accounts: pd.DataFrame
    quarantine: list[Quarantined] = field(default_factory=list)


def read_amlsim(folder: str | Path) -> MoneyGraph:
    """Read ``nodes.csv`` and ``transactions.csv`` from ``folder``."""
    root = Path(folder)
    tx_path, nodes_path = root / "transactions.csv", root / "nodes.csv"
    if not tx_path.is_file():
        raise UnsupportedFormatError(
            f"{root} has no transactions.csv; pass a folder in the AMLSim layout "
            "(nodes.csv with nodeid,isFraud and transactions.csv with "
            "sourceNodeId,targetNodeId,value,time)"
        )
    transfers, quarantine = _read_transfers(tx_path)
    accounts = _read_nodes(nodes_path, transfers)
    logger.info(
        "amlsim graph read path=%s accounts=%d transfers=%d quarantined=%d",
        root,
        len(accounts),
        len(transfers),
        len(quarantine),
    )
    return MoneyGraph(transfers, accounts, quarantine)


def _read_transfers(path: Path) -> tuple[pd.DataFrame, list[Quarantined]]:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(TX_COLUMNS) - set(raw.columns)
    if missing:
        raise UnsupportedFormatError(
            f"{path} lacks columns {sorted(missing)}; expected {list(TX_COLUMNS)}"
        )
    frame = raw.rename(columns=TX_COLUMNS)[list(TX_COLUMNS.values())]
    frame["src"] = frame["src"].str.strip()
    frame["dst"] = frame["dst"].str.strip()
    frame["amount"] = pd.to_numeric(frame["amount"], errors="coerce")
    frame["at"] = pd.to_numeric(frame["at"], errors="coerce")

    # Line numbers count the header as line 1, as an editor shows them.
    reasons = pd.Series("", index=frame.index)
    reasons[(frame["src"] == "") | (frame["dst"] == "")] = "missing account id"
    reasons[~np.isfinite(frame["at"])] = "time is not a number"
    reasons[~(frame["amount"] > 0)] = "amount is not a positive number"
    bad = reasons != ""
    quarantine = [Quarantined(int(i) + 2, str(r)) for i, r in reasons[bad].items()]
    frame["transfer_id"] = (frame.index + 2).astype(str)
    return frame[~bad].reset_index(drop=True), quarantine


def _read_nodes(path: Path, transfers: pd.DataFrame) -> pd.DataFrame:
    if path.is_file():
        nodes = pd.read_csv(path, dtype={"nodeid": str})
        accounts = pd.DataFrame({"account": nodes["nodeid"].str.strip()})
        if "isFraud" in nodes.columns:
            accounts["laundering"] = nodes["isFraud"].fillna(0).astype(int)
        return accounts
    ids = pd.unique(np.concatenate([transfers["src"], transfers["dst"]]))
    return pd.DataFrame({"account": ids})
