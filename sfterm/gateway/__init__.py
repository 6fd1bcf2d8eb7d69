"""The simulated SMS carrier: a Twilio-shaped Messaging API with handsets behind it.

Build it with ``sfterm.gateway.app.create_gateway_app(GatewayConfig(...))``.
"""
