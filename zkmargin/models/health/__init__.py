"""Account health with a buffer (healthy, margin call, liquidation): ``calculator.py`` (the
states every model's report counts), ``circuit.py`` (the states proven on a ``cross`` market)."""
