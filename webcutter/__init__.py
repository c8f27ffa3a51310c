"""webcutter: generate, compare and check projects of the webcutter template set."""
