package org.protoblock.node.config;

/** Where a resolved setting came from (said in the start-up log). */
public enum SettingSource {
    FLAG,
    ENVIRONMENT,
    FILE,
    DEFAULT
}
