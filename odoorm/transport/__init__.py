"""Odoo's wire protocols. Each knows nothing of models; see :mod:`odoorm.transport.base`."""

from odoorm.transport.base import READ_METHODS, MockTransport, RecordingTransport, RPCCall, Transport

__all__ = ["READ_METHODS", "MockTransport", "RPCCall", "RecordingTransport", "Transport"]
