package org.slimj.distributed;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.net.InetSocketAddress;

/**
 * The Hazelcast member configuration of one rank: bound to its own address only (one port, no
 * auto-increment), TCP-IP join with the explicit member list (multicast, auto-detection and cloud
 * discovery off), no backups (a lost member fails the job anyway), no phone-home, and heartbeat and
 * call timeouts short enough that a dead member fails the job quickly.
 */
final class HazelcastConfigs {
  /** Member attribute holding the rank. */
  static final String RANK_ATTRIBUTE = "slimj.rank";

  /** Prefix of every data structure the collective creates. */
  static final String PREFIX = "slimj.";

  private HazelcastConfigs() {}

  static Config member(ClusterSpec spec, CollectiveTimeouts timeouts) {
    Config c = new Config();
    c.setClusterName(spec.clusterName());
    c.setInstanceName(spec.clusterName() + "-rank-" + spec.rank() + "-" + spec.self().getPort());
    c.getMemberAttributeConfig().setAttribute(RANK_ATTRIBUTE, Integer.toString(spec.rank()));
    long heartbeat = Math.max(2, timeouts.heartbeat().toSeconds());
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    c.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(heartbeat));
    c.setProperty("hazelcast.operation.call.timeout.millis", Long.toString(heartbeat * 1000));
    c.setProperty("hazelcast.wait.seconds.before.join", "1");
    c.setProperty("hazelcast.max.wait.seconds.before.join", "2");
    c.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    c.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    c.getJetConfig().setEnabled(false);

    NetworkConfig net = c.getNetworkConfig();
    InetSocketAddress self = spec.self();
    net.setPort(self.getPort()).setPortAutoIncrement(false).setPortCount(1);
    net.getInterfaces().setEnabled(true).addInterface(self.getAddress().getHostAddress());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    for (int r = 0; r < spec.size(); r++) {
      join.getTcpIpConfig().addMember(spec.address(r));
    }
    c.getQueueConfig(PREFIX + "*").setBackupCount(0).setAsyncBackupCount(0).setStatisticsEnabled(false);
    c.getMapConfig(PREFIX + "*").setBackupCount(0).setAsyncBackupCount(0).setStatisticsEnabled(false);
    return c;
  }
}
