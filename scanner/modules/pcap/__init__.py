"""Packet capture discovery: `shadowai scan pcap` (pcap/pcapng files) and `shadowai scan capture` (live)."""
