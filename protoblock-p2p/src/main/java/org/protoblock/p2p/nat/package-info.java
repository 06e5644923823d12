/**
 * Port mapping at the NAT gateway (issue 11 item 2), so that a node behind a home router can be
 * dialed: {@link org.protoblock.p2p.nat.PortMapper} keeps one TCP port mapped and reports the
 * {@link org.protoblock.p2p.nat.PortMapping} it holds.
 *
 * <p>Layers, one job each:
 * <ul>
 *   <li>Wire formats, no I/O: {@code PcpMessages} (RFC 6887 MAP), {@code NatPmpMessages}
 *       (RFC 6886), {@code Ssdp} search/answer text, {@code IgdDescription} (device description),
 *       {@code SoapPortMapping} (WANIPConnection actions), parsed with {@code SafeXml} (no DTDs).</li>
 *   <li>Clients, one per protocol ({@code MappingClient}: map/renew and delete):
 *       {@code PcpClient}, {@code NatPmpClient} (both over {@code UdpExchange}), {@code UpnpClient}
 *       (SSDP + HTTP with {@code BoundedBody}).</li>
 *   <li>Policy: {@code Gateways} (default route from /proc/net/route), {@code RenewalSchedule}
 *       (renew at 1/2–5/8 of the lifetime, refuse under 30 s) and {@code PortMapper} (PCP, then
 *       NAT-PMP, then UPnP; renew; retry; delete on close), on its own {@code p2p-portmap} thread.</li>
 * </ul>
 * Facts and captured replies from miniupnpd 2.3.1: test resources of this package (README.md).
 */
package org.protoblock.p2p.nat;
