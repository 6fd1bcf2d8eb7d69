"""`sfterm phone NUMBER`: one simulated handset, to play the customer by hand."""
