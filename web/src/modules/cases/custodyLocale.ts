// Messages of the custody and destruction pages (zh-CN and en).
export const custodyMessagesZh = {
  custody: {
    title: '涉案物品与销毁', items: '涉案物品', events: '保管流转记录', orders: '销毁记录', addItem: '登记物品',
    description: '物品名称', quantity: '数量', unit: '单位', weight: '重量（千克）', value: '货值（元）', place: '存放地点',
    status: '状态', move: '移库', handOver: '移交', to: '去向', note: '说明', destroy: '销毁', destroyUnit: '销毁单位',
    method: '销毁方式', destroyedOn: '销毁日期', witnesses: '见证人（每行一人）', photos: '现场照片', tonnes: '吨',
    noUnits: '没有在该日期有效的销毁单位', save: '保存', cancel: '取消', by: '经办人', at: '时间',
    actions: { seize: '扣押入库', move: '移库', hand_over: '移交', destroy: '销毁' },
    problem: {
      items: '请选择要销毁的物品', date: '请填写销毁日期', future: '销毁日期不能晚于今天', unit: '请选择销毁单位',
      expired: '该单位的资质在销毁日期已过期', method: '该单位不具备此销毁方式', witnesses: '至少一名见证人', photos: '须附 1 至 10 张现场照片',
    },
    units: '销毁单位名录', addUnit: '登记销毁单位', unitName: '单位名称', licence: '资质证号', region: '地区代码',
    methods: '销毁方式', validUntil: '有效期至', expired: '已过期', valid: '有效', saved: '已保存',
  },
}

export const custodyMessagesEn = {
  custody: {
    title: 'Seized goods and destruction', items: 'Seized items', events: 'Chain of custody', orders: 'Destructions', addItem: 'Add item',
    description: 'Description', quantity: 'Quantity', unit: 'Unit', weight: 'Weight (kg)', value: 'Value (yuan)', place: 'Storage place',
    status: 'Status', move: 'Move', handOver: 'Hand over', to: 'To', note: 'Note', destroy: 'Destroy', destroyUnit: 'Destruction unit',
    method: 'Method', destroyedOn: 'Destroyed on', witnesses: 'Witnesses (one per line)', photos: 'Photos', tonnes: 't',
    noUnits: 'No unit is qualified on that date', save: 'Save', cancel: 'Cancel', by: 'By', at: 'At',
    actions: { seize: 'Seized', move: 'Moved', hand_over: 'Handed over', destroy: 'Destroyed' },
    problem: {
      items: 'Choose the items to destroy', date: 'Enter the date', future: 'The date is in the future', unit: 'Choose a unit',
      expired: "The unit's qualification has expired on that date", method: 'The unit does not offer this method',
      witnesses: 'At least one witness', photos: 'Attach 1 to 10 photos',
    },
    units: 'Destruction units', addUnit: 'Add unit', unitName: 'Name', licence: 'Licence number', region: 'Region code',
    methods: 'Methods', validUntil: 'Valid until', expired: 'Expired', valid: 'Valid', saved: 'Saved',
  },
}
