"""HTTP routes of the gateway: Twilio's resources and the simulation's own API."""
