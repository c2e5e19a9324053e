"""Running the CMS in production: health probes, request ids and logs.

Nothing here is content: these modules are what an operator, a load balancer and
a log pipeline talk to (see the README, "Running in production").
"""
