"""The offline counseling client."""

from clinisim.offline.client._client import OfflineClient, mood_rating

__all__ = ["OfflineClient", "mood_rating"]
