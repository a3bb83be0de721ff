"""Parts of the simulator (see :mod:`aban.simulate` for the public entry points).

``names`` (name bank), ``vocab`` (labels and date layouts), ``people`` (the true
population), ``capture`` (who each source lists), ``sources`` (each source's
records with its conventions and errors), ``noise`` (noise kinds beyond the
sources' conventions, off by default), ``detentions`` (status histories).
"""
